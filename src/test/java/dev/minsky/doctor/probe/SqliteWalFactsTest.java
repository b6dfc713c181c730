package dev.minsky.doctor.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.backend.sqlite.SqliteFiles;
import dev.minsky.backend.sqlite.probe.WalFile;
import dev.minsky.model.SessionJson;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.JavaProcess;
import dev.minsky.testutil.SqliteHolder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * A WAL is stale only when it holds committed frames not yet in the database and nobody holds the
 * database: each state built for real (SQLite's own files, a writer killed with SIGKILL, a live
 * holder), read by {@link WalFile}, the probes and {@code doctor --json}.
 */
class SqliteWalFactsTest {
    @TempDir
    Path home;

    private static double num(Map<String, Object> f, String id) {
        Object v = f.get(id);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private List<String> causes(JsonNode doc) {
        List<String> out = new ArrayList<>();
        doc.get("findings").forEach(f -> out.add(f.get("cause").asText()));
        return out;
    }

    private JsonNode doctor(Cli.Result[] raw) throws Exception {
        Cli.Result r = new Cli(home).run("doctor", "--json");
        raw[0] = r;
        return SessionJson.mapper().readTree(r.out());
    }

    /** Starts SqliteHolder in {@code mode} on db and waits for its "ready" line. */
    private static Process holder(String mode, Path db, int sessions) throws Exception {
        Process p = JavaProcess.start(JavaProcess.builder(SqliteHolder.class, Map.of(), mode, db.toString(),
                Integer.toString(sessions)).redirectErrorStream(true));
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"ready".equals(line)) {
            p.destroyForcibly();
            throw new AssertionError("the SQLite holder did not get ready: " + line);
        }
        return p;
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL on Linux
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the killed holder did not exit within 10 s");
    }

    @Test
    void an_empty_wal_and_shm_left_by_a_read_only_reader_are_no_finding() throws Exception {
        Path db = BrokenStates.healthySqlite(home, 3).store();
        // what 'sessiondb verify' used to leave: a read-only open makes -wal and -shm it cannot remove
        SQLiteConfig ro = new SQLiteConfig();
        ro.setReadOnly(true);
        try (Connection c = ro.createConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions")) {
            rs.next();
        }
        assertTrue(Files.exists(SqliteFiles.wal(db)) && Files.exists(SqliteFiles.shm(db)), "the reader left no WAL files");
        assertEquals(0, Files.size(SqliteFiles.wal(db)));

        Map<String, Object> f = Probes.facts(home);
        assertEquals(true, f.get("sqlite.wal.exists"), f.toString());
        assertEquals(0.0, num(f, "sqlite.wal.committedFrames"), f.toString());
        assertEquals(0.0, num(f, "sqlite.wal.uncheckpointedFrames"), f.toString());
        assertEquals(true, f.get("store.openSafe"), "an empty -wal does not stop the session checks");

        Cli.Result[] raw = new Cli.Result[1];
        JsonNode doc = doctor(raw);
        assertFalse(causes(doc).contains("sqlite.stale-wal"), raw[0].toString());
        assertTrue(doc.get("healthy").asBoolean(), raw[0].toString());
        assertEquals(0, raw[0].code(), raw[0].toString());
    }

    @Test
    void a_lone_shm_is_no_finding() throws Exception {
        Path db = BrokenStates.healthySqlite(home, 2).store();
        Files.write(SqliteFiles.shm(db), new byte[32768]);
        Cli.Result[] raw = new Cli.Result[1];
        JsonNode doc = doctor(raw);
        assertFalse(causes(doc).contains("sqlite.stale-wal"), raw[0].toString());
        assertEquals(0, raw[0].code(), raw[0].toString());
    }

    @Test
    void committed_frames_of_a_killed_writer_are_counted_and_make_a_stale_wal() throws Exception {
        BrokenStates.Built b = BrokenStates.staleWal(home, 4);
        WalFile w = WalFile.read(b.store());
        assertTrue(w.headerOk(), w.toString());
        assertEquals(4, w.commits(), "one commit frame per inserted session: " + w);
        assertTrue(w.committedFrames() >= 4, w.toString());
        assertEquals(w.committedFrames(), w.uncheckpointedFrames(), "nothing was checkpointed: " + w);

        Map<String, Object> f = Probes.facts(home);
        assertEquals((double) w.uncheckpointedFrames(), num(f, "sqlite.wal.uncheckpointedFrames"), f.toString());
        Cli.Result[] raw = new Cli.Result[1];
        JsonNode doc = doctor(raw);
        assertEquals("sqlite.stale-wal", causes(doc).get(0), raw[0].toString());
        assertEquals(1, raw[0].code(), raw[0].toString());
        boolean cited = false;
        for (JsonNode e : doc.get("findings").get(0).get("evidence")) {
            cited |= e.get("fact").asText().equals("sqlite.wal.uncheckpointedFrames") && e.get("supports").asBoolean();
        }
        assertTrue(cited, "the finding cites the uncheckpointed frames: " + raw[0]);
    }

    @Test
    void a_wal_whose_frames_a_checkpoint_copied_before_the_kill_is_no_finding() throws Exception {
        Path db = BrokenStates.healthySqlite(home, 3).store();
        kill(holder("wal-checkpointed", db, 4));
        WalFile w = WalFile.read(db);
        assertTrue(w.committedFrames() >= 4, "the frames stay in the -wal after a PASSIVE checkpoint: " + w);
        assertEquals(w.committedFrames(), w.backfilledFrames(), "the -shm says all were copied: " + w);
        assertEquals(0, w.uncheckpointedFrames(), w.toString());

        Cli.Result[] raw = new Cli.Result[1];
        JsonNode doc = doctor(raw);
        assertFalse(causes(doc).contains("sqlite.stale-wal"), raw[0].toString());
        assertEquals(0, raw[0].code(), raw[0].toString());
        // and the database file alone, without its -wal, already holds all 7 sessions
        Path alone = Files.createDirectory(home.resolve("alone")).resolve("copy.db");
        Files.copy(db, alone);
        assertEquals(7, SqliteFiles.countSessions(alone));
    }

    @Test
    void a_wal_with_committed_work_held_by_a_live_process_is_not_stale() throws Exception {
        Path db = BrokenStates.healthySqlite(home, 3).store();
        Process p = holder("wal", db, 4);
        try {
            Map<String, Object> f = Probes.facts(home);
            assertTrue(num(f, "sqlite.wal.uncheckpointedFrames") > 0, f.toString());
            assertEquals(1.0, num(f, "sqlite.holders.count"), f.toString());
            Cli.Result[] raw = new Cli.Result[1];
            JsonNode doc = doctor(raw);
            assertFalse(causes(doc).contains("sqlite.stale-wal"), raw[0].toString());
        } finally {
            kill(p);
        }
    }

    @Test
    void a_walk_cut_short_by_its_deadline_says_so_and_counts_only_what_it_read() throws Exception {
        BrokenStates.Built b = BrokenStates.staleWal(home, 100);
        WalFile full = WalFile.read(b.store());
        assertTrue(full.complete(), full.toString());
        assertEquals(100, full.commits(), full.toString());
        WalFile cut = WalFile.read(b.store(), System.nanoTime() - 1);
        assertFalse(cut.complete(), "a deadline already past stops the walk: " + cut);
        assertTrue(cut.validFrames() < full.validFrames(), cut + " vs " + full);
        assertTrue(cut.commits() < full.commits() && cut.uncheckpointedFrames() > 0, cut.toString());
    }

    @Test
    void frames_after_a_broken_checksum_do_not_count() throws Exception {
        BrokenStates.Built b = BrokenStates.staleWal(home, 3);
        WalFile before = WalFile.read(b.store());
        assertEquals(3, before.commits(), before.toString());
        Path wal = SqliteFiles.wal(b.store());
        long frame = 24L + before.pageSize();
        // flip one byte in the page of the last valid frame: it and everything after it stop counting
        try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
            long at = 32 + (before.validFrames() - 1) * frame + 24 + 100;
            f.seek(at);
            int x = f.read();
            f.seek(at);
            f.write(x ^ 0xff);
        }
        WalFile after = WalFile.read(b.store());
        assertEquals(before.validFrames() - 1, after.validFrames(), after.toString());
        assertEquals(2, after.commits(), "the last transaction's commit frame is gone: " + after);
    }
}
