package dev.minsky.store.json;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import dev.minsky.store.SessionStore;
import dev.minsky.store.StoreProvider;
import java.io.IOException;
import java.nio.file.Files;

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
    public dev.minsky.store.VerifyReport verify(Settings s) {
        throw new UnsupportedOperationException("json verify is not built yet");
    }

    @Override
    public dev.minsky.store.RepairReport repair(Settings s, java.time.Clock clock) {
        throw new UnsupportedOperationException("json repair is not built yet");
    }
}
