package dev.minsky.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A {@code sqlite3} program whose {@code .recover} works, built by {@code .ci/build-sqlite3.sh}
 * (SQLite's amalgamation, compiled with sqlite_dbpage): Debian 12's own sqlite3 cannot run
 * {@code .recover}, so without this the path minsky takes on other systems would go untested.
 * {@code .ci/run} builds it up front; a developer's first test run builds it here (about 15 s).
 */
public final class RecoverCapableSqlite3 {
    private static Path program;

    private RecoverCapableSqlite3() {}

    /** The directory holding the program, to put first on a child process's PATH. */
    public static synchronized Path dir() throws IOException, InterruptedException {
        if (program == null) {
            Path script = Path.of(".ci/build-sqlite3.sh").toAbsolutePath();
            Process p = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isExecutable(Path.of(out))) {
                throw new IllegalStateException("could not build a sqlite3 with .recover (" + script + " printed '" + out
                        + "'); it needs gcc and the npm registry");
            }
            program = Path.of(out);
        }
        return program.getParent();
    }
}
