package dev.minsky.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs a real process to its end and keeps what it printed. */
public final class Processes {
    private Processes() {}

    /** Exit code, standard output and standard error of a finished process. */
    public record Output(int code, String out, String err) {}

    /**
     * Starts {@code pb}, reads its standard output (standard error goes through a temporary file, so
     * neither stream can fill up and block the other) and waits for it; a process still running
     * after {@code timeout} is killed and reported as an IOException.
     */
    public static Output run(ProcessBuilder pb, Duration timeout) throws IOException, InterruptedException {
        Path err = Files.createTempFile("minsky-test-", ".err");
        try {
            Process p = pb.redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", pb.command()) + " did not finish in " + timeout.toSeconds() + " s");
            }
            return new Output(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
