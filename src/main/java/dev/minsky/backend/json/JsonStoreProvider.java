package dev.minsky.backend.json;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import dev.minsky.model.Timestamps;
import dev.minsky.store.SessionStore;
import dev.minsky.store.StoreProvider;
import dev.minsky.model.JsonSalvage;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.Progress;
import dev.minsky.store.RepairReport;
import dev.minsky.store.VerifyReport;
import dev.minsky.util.AtomicFiles;
import dev.minsky.util.FileLocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The JSON file backend. */
public final class JsonStoreProvider implements StoreProvider {
    @Override
    public String id() {
        return "json";
    }

    @Override
    public String location(Settings s) {
        return s.jsonPath().toString();
    }

    @Override
    public boolean exists(Settings s) {
        return Files.isRegularFile(s.jsonPath());
    }

    @Override
    public SessionStore open(Settings s, boolean create) {
        JsonSessionStore store = new JsonSessionStore(s.jsonPath());
        if (create && !Files.exists(s.jsonPath())) {
            store.create();
        }
        return store;
    }

    @Override
    public void init(Settings s) {
        JsonSessionStore store = new JsonSessionStore(s.jsonPath());
        // Reading first makes a damaged file fail loudly instead of being replaced.
        store.readAll();
        if (!Files.exists(s.jsonPath())) {
            store.create();
        }
    }

    @Override
    public void destroy(Settings s) {
        try {
            Files.deleteIfExists(s.jsonPath());
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot remove " + s.jsonPath() + ": " + e.getMessage(),
                    "check the directory's permissions");
        }
    }

    @Override
    public int currentSchemaVersion() {
        return JsonSessionStore.SCHEMA_VERSION;
    }

    @Override
    public VerifyReport verify(Settings s) {
        return verify(s, Progress.NONE);
    }

    /** {@link #verify(Settings)}, each record checked (or, in a damaged file, each one that can be salvaged) counted on {@code progress}. */
    @Override
    public VerifyReport verify(Settings s, Progress progress) {
        Path file = s.jsonPath();
        if (!Files.exists(file)) {
            return new VerifyReport(false, -1, List.of("no JSON store at " + file + " (run 'minsky sessiondb init --backend json')"));
        }
        byte[] data = read(file);
        try {
            List<SessionRecord> records = JsonSteps.check(data, progress);
            return new VerifyReport(true, records.size(), List.of());
        } catch (SessionJson.FormatException e) {
            JsonSalvage.Result salvage = JsonSteps.salvage(data, JsonSteps.FINDING, progress);
            String what = salvage.endsMidDocument() ? " (the file stops mid-document: a truncated write)" : "";
            return new VerifyReport(false, salvage.records().size(),
                    List.of("the JSON store " + file + " does not parse" + e.where() + ": " + e.getMessage() + what,
                            salvage.records().size() + " complete record(s) can be salvaged ('minsky sessiondb repair --backend json')"));
        }
    }

    private static byte[] read(Path file) {
        try {
            dev.minsky.util.SafeFiles.requireRegular(file, Long.MAX_VALUE, "JSON store");
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot read the JSON store " + file + ": " + e.getMessage(),
                    "check the file's permissions; 'minsky doctor' explains", e);
        }
    }

    /**
     * Keeps every complete record of a file that does not parse. Under the store's lock, so no
     * writer runs in between: the damaged original is copied to {@code session-db.json.corrupt-<UTC time>}
     * (durably) before the salvaged records replace the file atomically.
     */
    @Override
    public RepairReport repair(Settings s, Clock clock) {
        return repair(s, clock, Progress.NONE);
    }

    /** {@link #repair(Settings, Clock)}, the records checked, salvaged, written and read back counted on {@code progress}. */
    @Override
    public RepairReport repair(Settings s, Clock clock, Progress progress) {
        Path file = s.jsonPath();
        if (!Files.isRegularFile(file)) {
            throw MinskyException.badInput("no JSON store at " + file + " to repair",
                    "check sessiondb.baseDir ('minsky config get sessiondb.baseDir')");
        }
        try (FileLocks.Held lock = FileLocks.acquire(JsonSessionStore.lockFile(file), Duration.ofSeconds(10))) {
            byte[] data = read(file);
            try {
                int n = JsonSteps.check(data, progress).size();
                return new RepairReport(false, n, n, null, "none: the file parses");
            } catch (SessionJson.FormatException e) {
                // damaged: salvage below
            }
            JsonSalvage.Result salvage = JsonSteps.salvage(data, JsonSteps.SALVAGING, progress);
            int salvaged = salvage.records().size();
            Path kept = file.resolveSibling(file.getFileName() + ".corrupt-" + Timestamps.fileStamp(clock.instant()));
            for (int i = 1; Files.exists(kept); i++) {
                kept = file.resolveSibling(file.getFileName() + ".corrupt-" + Timestamps.fileStamp(clock.instant()) + "-" + i);
            }
            try {
                AtomicFiles.write(kept, data, "rw-------");
                AtomicFiles.write(file, JsonSteps.write(salvage.records(), JsonSteps.WRITING, progress), "rw-r--r--");
                if (JsonSteps.readBack(Files.readAllBytes(file), salvaged, progress).size() != salvaged) {
                    throw new IOException("the repaired file does not read back as written");
                }
            } catch (IOException | SessionJson.FormatException e) {
                throw new MinskyException(ExitCode.INCOMPLETE, "could not write the repaired JSON store " + file + ": " + e.getMessage(),
                        "the damaged original is unchanged or kept as " + kept + "; free space or fix permissions and retry", e);
            }
            return new RepairReport(true, -1, salvage.records().size(), kept, "json salvage");
        }
    }

    // ---- what the core asks a backend (StoreProvider's defaults, issue 9.1)

    @Override
    public String displayName() {
        return "JSON";
    }

    @Override
    public String storeFileName() {
        return Settings.JSON_FILE;
    }

    @Override
    public Path storeFile(Settings s) {
        return s.jsonPath();
    }

    @Override
    public Settings atFile(Settings s, Path file) {
        return new Settings(id(), s.stateDir(), file.getParent(), file, s.sqlitePath(), s.connectionString(), s.maxConnections(),
                s.idleTimeoutMillis(), s.sqliteBusyTimeoutMillis(), s.connectionWaitMillis());
    }

    @Override
    public long countSessions(Path file) {
        return dev.minsky.backend.json.probe.JsonFileProbe.countSessions(file);
    }

    @Override
    public java.util.Map<String, dev.minsky.doctor.model.Safety> actions() {
        return java.util.Map.of("json.salvage", dev.minsky.doctor.model.Safety.REVERSIBLE,
                "json.restore-temp-file", dev.minsky.doctor.model.Safety.REVERSIBLE,
                "json.restore-corrupt-copy", dev.minsky.doctor.model.Safety.REVERSIBLE);
    }

    @Override
    public String schemaVersionFact() {
        return "json.schemaVersion";
    }

    @Override
    public String integrityFact() {
        return "json.parse.ok";
    }

    @Override
    public String integrityDetailFact() {
        return "json.parse.error";
    }

    @Override
    public List<String> unreadableWhenFalse() {
        return List.of("json.parse.ok");
    }

    /** Every read parses the whole file: a warm-up read would cost as much as the timed one. */
    @Override
    public boolean warmUpRead() {
        return false;
    }
}
