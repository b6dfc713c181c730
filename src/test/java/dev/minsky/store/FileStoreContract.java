package dev.minsky.store;

import dev.minsky.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The contract for a backend that keeps its store as a file in the state directory. */
public abstract class FileStoreContract extends SessionStoreContract {
    /** The backend id, as in {@code sessiondb.backend}. */
    protected abstract String backend();

    @Override
    protected Settings freshSettings() {
        return fileSettings(backend(), tmp.resolve("state"), null);
    }

    @Override
    protected boolean anythingCreated(Settings s) throws Exception {
        if (!Files.exists(s.baseDir())) {
            return false;
        }
        try (Stream<Path> files = Files.list(s.baseDir())) {
            return files.findAny().isPresent();
        }
    }
}
