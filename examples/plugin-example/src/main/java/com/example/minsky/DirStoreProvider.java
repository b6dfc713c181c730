package com.example.minsky;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import dev.minsky.store.RepairReport;
import dev.minsky.store.SessionStore;
import dev.minsky.store.StoreProvider;
import dev.minsky.store.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code dirstore} backend: one JSON file per session in {@code <baseDir>/dirstore/}, with the
 * schema version in {@code dirstore/schema}. Small on purpose: it shows what a backend implements.
 */
public final class DirStoreProvider implements StoreProvider {
    static final String ID = "dirstore";
    static final int SCHEMA = 1;

    static Path dir(Settings s) {
        return s.baseDir().resolve(ID);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String location(Settings settings) {
        return dir(settings).toString();
    }

    @Override
    public boolean exists(Settings settings) {
        return Files.isRegularFile(dir(settings).resolve(DirStore.SCHEMA_FILE));
    }

    @Override
    public SessionStore open(Settings settings, boolean create) {
        DirStore s = new DirStore(dir(settings));
        if (create) {
            s.create();
        }
        return s;
    }

    @Override
    public void init(Settings settings) {
        new DirStore(dir(settings)).create();
    }

    @Override
    public void destroy(Settings settings) {
        DirStore.removeTree(dir(settings));
    }

    @Override
    public int currentSchemaVersion() {
        return SCHEMA;
    }

    @Override
    public VerifyReport verify(Settings settings) {
        List<String> problems = new ArrayList<>();
        long n;
        try (DirStore s = new DirStore(dir(settings))) {
            n = s.verify(problems);
        }
        return new VerifyReport(problems.isEmpty(), n, List.copyOf(problems));
    }

    @Override
    public RepairReport repair(Settings settings, Clock clock) {
        throw new MinskyException(ExitCode.BAD_INPUT, "the dirstore backend cannot be repaired in place",
                "restore a backup: minsky sessiondb restore");
    }
}
