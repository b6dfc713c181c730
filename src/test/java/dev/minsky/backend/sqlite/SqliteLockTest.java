package dev.minsky.backend.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.config.Settings;
import dev.minsky.store.support.SqliteLockHolder;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.JavaProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Another process holding the write lock: a clear exit 3 naming the lock, then success once it is gone. */
class SqliteLockTest {
    @TempDir
    Path home;

    @Test
    void a_write_lock_held_by_another_process_fails_with_exit_3_naming_the_lock_and_works_once_released() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "sqlite").env("MINSKY_SQLITE_BUSY_TIMEOUT_MS", "300");
        Cli.Result first = cli.run("session", "start", "before", "--repo", "/tmp/repo");
        assertEquals(0, first.code(), first.toString());
        Path db = cli.stateDir().resolve(Settings.SQLITE_FILE);

        Process holder = JavaProcess.start(JavaProcess.builder(SqliteLockHolder.class, Map.of(), db.toString(), "60000"));
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine());

            long t0 = System.nanoTime();
            Cli.Result blocked = cli.run("session", "start", "x", "--repo", "/tmp/repo");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(3, blocked.code(), blocked.toString());
            assertTrue(blocked.err().contains("is locked by another process (SQLITE_BUSY)"), blocked.err());
            assertTrue(blocked.err().contains(db.toString()), blocked.err());
            assertTrue(blocked.err().contains("minsky doctor"), blocked.err());
            assertFalse(blocked.err().contains("\tat "), "no stack trace: " + blocked.err());
            assertFalse(blocked.err().contains("Exception"), "no exception names: " + blocked.err());
            assertTrue(millis >= 250, "it waited for the busy timeout, took " + millis + " ms");

            Cli.Result read = cli.run("session", "list", "--json");
            assertEquals(0, read.code(), "readers are not blocked by a writer in WAL mode: " + read);
            assertTrue(read.out().contains("\"before\""), read.out());
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        Cli.Result after = cli.run("session", "start", "x", "--repo", "/tmp/repo");
        assertEquals(0, after.code(), after.toString());
        assertTrue(cli.run("session", "get", "x", "--json").out().contains("\"x\""));
    }
}
