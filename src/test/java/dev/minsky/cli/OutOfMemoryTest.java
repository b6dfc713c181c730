package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.JavaProcess;
import dev.minsky.testutil.Processes;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM that runs out of heap gives a clear error and exit 3, not a raw trace, and changes nothing. */
class OutOfMemoryTest {
    @TempDir
    Path home;

    @Test
    void running_out_of_heap_is_a_clear_error_with_a_hint() throws Exception {
        Path store = home.resolve(".local/state/minsky/session-db.json");
        Files.createDirectories(store.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(store, StandardCharsets.UTF_8)) {
            w.write("[");
            for (int i = 0; i < 200_000; i++) {
                w.write((i == 0 ? "" : ",") + "{\"session\":\"s-" + i + "\",\"repoName\":\"minsky\",\"repoUrl\":\"https://example.com/minsky.git\","
                        + "\"createdAt\":\"2026-11-01T00:00:00.000Z\",\"taskId\":\"md#" + i + "\"}\n");
            }
            w.write("]");
        }
        String before = sha(store);
        ProcessBuilder pb = JavaProcess.minsky(Map.of("HOME", home.toString(), "MINSKY_SESSIONDB_BACKEND", "json"),
                "session", "list", "--json");
        pb.command().add(1, "-Xmx24m");
        Processes.Output r = Processes.run(pb, Duration.ofSeconds(120));
        String err = r.err();
        assertEquals(3, r.code(), err);
        assertTrue(err.contains("ran out of memory") && err.contains("-Xmx"), err);
        assertFalse(err.contains("\tat ") || err.contains("Exception in thread"), err);
        assertEquals(before, sha(store), "the store is unchanged");
    }

    private static String sha(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
