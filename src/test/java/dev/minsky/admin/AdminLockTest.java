package dev.minsky.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.Cli;
import dev.minsky.testutil.JavaProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two store-changing sessiondb commands never interleave, across processes. */
class AdminLockTest {
    @TempDir
    Path home;

    @Test
    void a_store_changing_command_waits_for_another_and_then_fails_with_3_naming_the_lock() throws Exception {
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "json").code());
        Path store = cli.stateDir().resolve("session-db.json");
        Path in = home.resolve("in.json");
        Files.writeString(in, "[{\"session\":\"a\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00.000Z\"}]");
        byte[] before = Files.readAllBytes(store);

        Process holder = JavaProcess.start(JavaProcess.builder(AdminLockHolder.class, Map.of(), cli.stateDir().toString()));
        try (BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("locked", r.readLine());
            Cli.Result imp = cli.run("sessiondb", "import", "--file", in.toString());
            assertEquals(3, imp.code(), imp.toString());
            assertTrue(imp.err().contains(StoreAccess.ADMIN_LOCK), imp.err());
            assertFalse(imp.err().contains("at dev.minsky"), imp.err());
            assertArrayEquals(before, Files.readAllBytes(store));
            assertEquals(3, cli.run("sessiondb", "migrate", "to", "sqlite").code());
            assertFalse(Files.exists(cli.stateDir().resolve("sessions.db")));
            // reads do not wait
            assertEquals(0, cli.run("sessiondb", "migrate", "to", "sqlite", "--dry-run").code());
            assertEquals(0, cli.run("sessiondb", "export").code());
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        Cli.Result after = cli.run("sessiondb", "import", "--file", in.toString());
        assertEquals(0, after.code(), after.toString());
    }
}
