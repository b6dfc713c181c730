package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.Cli;
import dev.minsky.testutil.JavaProcess;
import dev.minsky.testutil.Processes;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader that closes the pipe ({@code minsky session list | head -1}) ends the command at once
 * with exit 0, as {@code git log | head} does, instead of the JVM writing on into a broken pipe.
 * The time is compared side by side with {@code --limit 1} in the same run: a ratio, not a figure.
 */
class ClosedPipeTest {
    static final int SESSIONS = 100_000;

    @TempDir
    Path home;

    @BeforeEach
    void store() throws Exception {
        Path file = home.resolve("export.json");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("[");
            for (int i = 0; i < SESSIONS; i++) {
                w.write((i == 0 ? "" : ",") + "{\"session\":\"s-" + i + "\",\"repoName\":\"minsky\",\"repoUrl\":\"https://example.com/minsky.git\","
                        + "\"createdAt\":\"2026-11-01T00:00:00.000Z\",\"taskId\":\"md#" + i + "\"}\n");
            }
            w.write("]");
        }
        Cli.Result r = new Cli(home).run("sessiondb", "import", "--file", file.toString());
        assertEquals(0, r.code(), r.err());
    }

    private Processes.Output piped(String pipeline, String... args) throws Exception {
        ProcessBuilder minsky = JavaProcess.minsky(Map.of("HOME", home.toString()), args);
        StringBuilder cmd = new StringBuilder();
        for (String a : minsky.command()) {
            cmd.append('\'').append(a.replace("'", "'\\''")).append("' ");
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd + pipeline + "; exit ${PIPESTATUS[0]}");
        pb.environment().putAll(minsky.environment());
        return Processes.run(pb, Duration.ofMinutes(5));
    }

    @Test
    void session_list_into_head_ends_as_soon_as_head_has_its_line() throws Exception {
        List<Long> head = new ArrayList<>();
        List<Long> limit = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            Processes.Output h = piped("| head -1", "session", "list");
            head.add(System.nanoTime() - t0);
            assertEquals(0, h.code(), "exit code of minsky under a closed pipe: " + h.err());
            assertTrue(h.out().startsWith("SESSION"), h.out());
            assertEquals(1, h.out().lines().count(), h.out());
            assertFalse(h.err().contains("Exception") || h.err().contains("error"), h.err());

            t0 = System.nanoTime();
            Processes.Output l = piped("> /dev/null", "session", "list", "--limit", "1");
            limit.add(System.nanoTime() - t0);
            assertEquals(0, l.code(), l.err());
        }
        Collections.sort(head);
        Collections.sort(limit);
        double ratio = (double) head.get(1) / limit.get(1);
        System.out.printf("session list of %d | head -1: %.2f s; session list --limit 1: %.2f s; ratio %.2f%n",
                SESSIONS, head.get(1) / 1e9, limit.get(1) / 1e9, ratio);
        assertTrue(ratio <= 1.5, "session list | head -1 took " + ratio + "x the time of --limit 1 (median of 3)");
    }

    @Test
    void json_list_into_a_reader_that_stops_early_exits_zero() throws Exception {
        Processes.Output h = piped("| head -c 200", "session", "list", "--json");
        assertEquals(0, h.code(), h.err());
        assertTrue(h.out().startsWith("["), h.out());
        assertEquals("", h.err());
    }
}
