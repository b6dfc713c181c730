package dev.minsky.store.sqlite;

import dev.minsky.config.Settings;
import dev.minsky.store.SessionStoreContract;
import java.nio.file.Files;
import java.util.stream.Stream;

class SqliteStoreContractTest extends SessionStoreContract {
    @Override
    protected Settings freshSettings() {
        return fileSettings("sqlite", tmp.resolve("state"), null);
    }

    @Override
    protected boolean anythingCreated(Settings s) throws Exception {
        if (!Files.exists(s.baseDir())) {
            return false;
        }
        try (Stream<java.nio.file.Path> files = Files.list(s.baseDir())) {
            return files.findAny().isPresent();
        }
    }
}
