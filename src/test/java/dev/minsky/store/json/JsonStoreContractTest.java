package dev.minsky.store.json;

import dev.minsky.config.Settings;
import dev.minsky.store.SessionStoreContract;
import java.nio.file.Files;
import java.util.stream.Stream;

class JsonStoreContractTest extends SessionStoreContract {
    @Override
    protected Settings freshSettings() {
        return fileSettings("json", tmp.resolve("state"), null);
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
