package dev.minsky.backend.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.Cli;
import dev.minsky.util.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JSON writer killed between creating its temp file and renaming it leaves the temp file; the
 * next write removes, under the lock, those of dead writers that hold nothing the store lacks.
 */
class JsonLeftoversTest {
    @TempDir
    Path home;

    private long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private Path temp(Path store, long pid, String random, String text) throws Exception {
        Path t = store.resolveSibling(AtomicFiles.TEMP_PREFIX + store.getFileName() + "-" + pid + "-" + random);
        Files.writeString(t, text);
        return t;
    }

    @Test
    void a_write_removes_the_temp_files_of_dead_writers_and_keeps_any_that_hold_sessions_the_store_lacks() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
        assertEquals(0, cli.run("session", "start", "one", "--repo", "https://example.com/r.git").code());
        Path store = home.resolve(".local/state/minsky/session-db.json");
        long dead = deadPid();
        String whole = Files.readString(store);
        Path covered = temp(store, dead, "a1", whole);
        Path truncated = temp(store, dead, "b2", whole.substring(0, whole.indexOf("\"one\"") + 4));
        Path unfinished = temp(store, dead, "c3", whole.replace("\"one\"", "\"never-acknowledged\""));
        Path onlyCopy = temp(store, dead, "e5", "[" + whole.substring(1, whole.lastIndexOf(']')).replace("\"one\"", "\"only-here-1\"")
                + "," + whole.substring(1, whole.lastIndexOf(']')).replace("\"one\"", "\"only-here-2\"") + "]");
        Path live = temp(store, ProcessHandle.current().pid(), "d4", whole);
        Path older = store.resolveSibling(AtomicFiles.TEMP_PREFIX + store.getFileName() + "-0123abcd");
        Files.writeString(older, "[");

        assertEquals(0, cli.run("session", "start", "two", "--repo", "https://example.com/r.git").code());

        assertFalse(Files.exists(covered), "a dead writer's copy of sessions the store has is removed");
        assertFalse(Files.exists(truncated), "a dead writer's partial file naming no missing session is removed");
        assertFalse(Files.exists(unfinished), "the one change a killed writer never acknowledged is not kept as litter");
        assertTrue(Files.exists(onlyCopy), "a file holding more than one session the store lacks is kept");
        assertTrue(Files.exists(live), "a live writer's temp file is not touched");
        assertTrue(Files.exists(older), "a temp file that names no pid is left to the doctor");
        String list = cli.run("session", "list", "--json").out();
        assertTrue(list.contains("\"one\"") && list.contains("\"two\""), list);

        Files.delete(store);
        Path again = temp(store, dead, "f6", whole);
        assertEquals(0, cli.run("session", "start", "three", "--repo", "https://example.com/r.git").code());
        assertTrue(Files.exists(onlyCopy) && Files.exists(again), "with the store file gone (and made anew by this write) nothing beside it is removed");
    }
}
