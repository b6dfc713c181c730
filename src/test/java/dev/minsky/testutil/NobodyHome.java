package dev.minsky.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh home directory that the user {@code nobody} can reach, for tests that run minsky as
 * nobody ({@link BrokenStates#runMinskyAs}); removed after each test whatever its files' owners.
 * Use with {@code @RegisterExtension}.
 */
public final class NobodyHome implements BeforeEachCallback, AfterEachCallback {
    private Path dir;
    private Path home;

    public Path home() {
        return home;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = BrokenStates.nobodyReachableDir();
        home = Files.createDirectories(dir.resolve("home"));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
}
