package dev.minsky.backend.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real small and read-only filesystems (tmpfs mounts: the tests run as root in CI). */
class SqliteFilesystemTest {
    @TempDir
    Path tmp;

    private Path mount;
    private final SqliteStoreProvider provider = new SqliteStoreProvider();

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private Path mountTmpfs(String size) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root (CI runs as root)");
        mount = tmp.resolve("mnt");
        java.nio.file.Files.createDirectories(mount);
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString());
        return mount;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            run("umount", "-l", mount.toString());
        }
    }

    private static Settings settings(Path dir) {
        return new Settings("sqlite", dir, dir, dir.resolve(Settings.JSON_FILE), dir.resolve(Settings.SQLITE_FILE), null, 4, 30000, 1000);
    }

    private static List<SessionRecord> records(String prefix, int n) {
        List<SessionRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(SessionRecord.create(prefix + i, "minsky", "https://github.com/edobry/minsky.git", Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i))
                    .with("repoPath", "/some/rather/long/workspace/path/to/make/rows/bigger/" + prefix + i).with("taskId", "md#" + i));
        }
        return out;
    }

    @Test
    void a_full_disk_is_SQLITE_FULL_exit_3_and_the_committed_sessions_survive() throws Exception {
        Settings s = settings(mountTmpfs("192k"));
        try (SessionStore store = provider.open(s, true)) {
            store.upsertAll(records("kept-", 20));
        }
        try (SessionStore store = provider.open(s, false)) {
            MinskyException e = assertThrows(MinskyException.class, () -> store.upsertAll(records("big-", 5000)));
            assertEquals(ExitCode.INCOMPLETE, e.exitCode());
            assertTrue(e.getMessage().contains("SQLITE_FULL"), e.getMessage());
            assertTrue(e.hint().contains("free"), e.hint());
        }
        try (SessionStore store = provider.open(s, false)) {
            assertEquals(20, store.count(), "the failed transaction left the committed sessions as they were");
            assertEquals(records("kept-", 20), store.list(SessionQuery.ALL));
        }
    }

    @Test
    void a_read_only_filesystem_still_reads_and_a_write_is_SQLITE_READONLY_exit_3() throws Exception {
        Path dir = mountTmpfs("4m");
        Settings s = settings(dir);
        try (SessionStore store = provider.open(s, true)) {
            store.upsertAll(records("s", 3));
        }
        run("mount", "-o", "remount,ro", dir.toString());
        try (SessionStore store = provider.open(s, false)) {
            assertEquals(3, store.count(), "reading needs no write");
            MinskyException e = assertThrows(MinskyException.class, () -> store.insert(records("new-", 1).get(0)));
            assertEquals(ExitCode.INCOMPLETE, e.exitCode());
            assertTrue(e.getMessage().contains("SQLITE_READONLY") || e.getMessage().contains("SQLITE_CANTOPEN"), e.getMessage());
            assertTrue(e.hint().contains("writable"), e.hint());
        }
    }

    @Test
    void a_store_that_cannot_be_created_on_a_read_only_filesystem_is_exit_3() throws Exception {
        Path dir = mountTmpfs("1m");
        run("mount", "-o", "remount,ro", dir.toString());
        MinskyException e = assertThrows(MinskyException.class, () -> provider.init(settings(dir.resolve("sub"))));
        assertEquals(ExitCode.INCOMPLETE, e.exitCode());
        MinskyException e2 = assertThrows(MinskyException.class, () -> provider.init(settings(dir)));
        assertEquals(ExitCode.INCOMPLETE, e2.exitCode());
        assertTrue(e2.getMessage().contains("SQLITE_CANTOPEN") || e2.getMessage().contains("SQLITE_READONLY"), e2.getMessage());
    }
}
