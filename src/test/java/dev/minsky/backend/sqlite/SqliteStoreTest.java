package dev.minsky.backend.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.RepairReport;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.VerifyReport;
import dev.minsky.store.support.SqliteWalWriter;
import dev.minsky.testutil.JavaProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {
    @TempDir
    Path dir;

    private final SqliteStoreProvider provider = new SqliteStoreProvider();

    private Settings settings() {
        return new Settings("sqlite", dir, dir, dir.resolve(Settings.JSON_FILE), dir.resolve(Settings.SQLITE_FILE), null, 4, 30000, 2000);
    }

    private Path db() {
        return dir.resolve(Settings.SQLITE_FILE);
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    private static SessionRecord rec(int i) {
        String name = String.format("bulk-%05d", i);
        return SessionRecord.create(name, "minsky", "https://github.com/edobry/minsky.git",
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)).with("repoPath", "/tmp/ws/" + name).with("taskId", "md#" + i % 13);
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A table exactly as Minsky itself creates it: no extra column, no meta table, rollback journal. */
    private void makeMinskyTable() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE sessions (session TEXT PRIMARY KEY, repoName TEXT NOT NULL, repoUrl TEXT, createdAt TEXT NOT NULL,"
                    + " taskId TEXT, branch TEXT, repoPath TEXT, prBranch TEXT, prApproved TEXT, prState TEXT, backendType TEXT,"
                    + " pullRequest TEXT, notes TEXT)");
            st.execute("INSERT INTO sessions VALUES ('m1', 'minsky', 'https://github.com/edobry/minsky.git', '2025-05-01T10:00:00.000Z',"
                    + " 'md#5', 'task-md#5', '/w/m1', 'pr/m1', 'true', '{\"branchName\":\"pr/m1\",\"exists\":true,\"lastChecked\":\"2025-05-02T00:00:00Z\"}',"
                    + " 'github', '{\"number\":7,\"url\":\"https://x/7\"}', 'kept note')");
            st.execute("INSERT INTO sessions (session, repoName, repoUrl, createdAt) VALUES ('m2', 'r', 'u', '2025-05-02T10:00:00.000Z')");
        }
    }

    @Test
    void a_table_made_by_minsky_is_read_writes_wait_for_an_explicit_upgrade_and_init_keeps_every_row() throws Exception {
        makeMinskyTable();
        try (SessionStore s = provider.open(settings(), false)) {
            assertEquals(1, s.schemaVersion());
            SessionRecord m1 = s.get("m1").orElseThrow();
            assertEquals(true, m1.field("prApproved").booleanValue());
            assertEquals(7, m1.field("pullRequest").get("number").asInt());
            assertEquals("pr/m1", m1.field("prState").get("branchName").asText());
            assertEquals("kept note", m1.text("notes"), "a column this build does not know is read as a field");
            assertEquals(List.of("m1", "m2"), s.list(SessionQuery.ALL).stream().map(SessionRecord::session).toList());
            String before = sha256(db());
            MinskyException e = assertThrows(MinskyException.class, () -> s.insert(rec(1)));
            assertEquals(ExitCode.INCOMPLETE, e.exitCode());
            assertTrue(e.getMessage().contains("schema version 1"), e.getMessage());
            assertTrue(e.hint().contains("init"), e.hint());
            assertEquals(before, sha256(db()), "a refused write leaves the file as it was");
        }
        List<SessionRecord> before;
        try (SessionStore s = provider.open(settings(), false)) {
            before = s.list(SessionQuery.ALL);
        }
        provider.init(settings());
        try (SessionStore s = provider.open(settings(), false)) {
            assertEquals(SqliteSchema.CURRENT, s.schemaVersion());
            assertEquals(before, s.list(SessionQuery.ALL), "the upgrade keeps every row and field");
            s.insert(rec(1));
            assertEquals(3, s.count());
        }
        assertTrue(provider.verify(settings()).ok(), provider.verify(settings()).problems().toString());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertEquals("wal", rs.getString(1));
        }
    }

    @Test
    void a_file_that_is_not_sqlite_is_bad_input_and_is_never_touched() throws Exception {
        Files.writeString(db(), "[{\"session\":\"a\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00Z\"}]\n");
        String sum = sha256(db());
        List<String> filesBefore = files();
        List<org.junit.jupiter.api.function.Executable> attempts = List.of(
                () -> provider.open(settings(), false).list(SessionQuery.ALL),
                () -> provider.open(settings(), true),
                () -> provider.init(settings()),
                () -> provider.repair(settings(), Clock.systemUTC()));
        for (var attempt : attempts) {
            MinskyException e = assertThrows(MinskyException.class, attempt);
            // a store that cannot be read: exit 3 (product.md), and its own type so callers can tell it from "unreachable"
            assertEquals(ExitCode.INCOMPLETE, e.exitCode(), e.getMessage());
            assertTrue(e instanceof dev.minsky.StoreUnreadable, e.getClass().getName());
            assertTrue(e.getMessage().contains("is not an SQLite database"), e.getMessage());
            assertTrue(e.getMessage().contains(db().toString()), e.getMessage());
        }
        VerifyReport v = provider.verify(settings());
        assertFalse(v.ok());
        assertEquals(sum, sha256(db()));
        assertEquals(filesBefore, files(), "no -wal, -shm or other file appeared");
    }

    @Test
    void init_turns_on_wal_and_a_page_of_the_list_is_read_straight_off_the_index() throws Exception {
        provider.init(settings());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertEquals("wal", rs.getString(1));
            }
            assertTrue(SqliteSchema.hasIndexOn(c, "taskId"));
            assertTrue(SqliteSchema.hasIndexOn(c, "createdAt"));
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN SELECT * FROM sessions ORDER BY createdAt, session LIMIT 50 OFFSET 0")) {
                while (rs.next()) {
                    plan.append(rs.getString("detail")).append('\n');
                }
            }
            assertTrue(plan.toString().contains(SqliteSchema.INDEX_CREATED), plan.toString());
            assertFalse(plan.toString().contains("TEMP B-TREE"), "no sort: " + plan);
        }
    }

    @Test
    void reading_never_changes_the_database_file() throws Exception {
        try (SessionStore s = provider.open(settings(), true)) {
            s.upsertAll(List.of(rec(1), rec(2), rec(3)));
        }
        String sum = sha256(db());
        try (SessionStore s = provider.open(settings(), false)) {
            s.list(SessionQuery.ALL);
            s.get("bulk-00002");
            s.count();
            s.schemaVersion();
        }
        provider.verify(settings());
        assertEquals(sum, sha256(db()));
    }

    @Test
    void a_zero_byte_file_reads_as_empty_and_becomes_a_store_on_the_first_write() throws Exception {
        Files.createFile(db());
        try (SessionStore s = provider.open(settings(), false)) {
            assertEquals(0, s.count());
            assertEquals(0, Files.size(db()), "reading wrote nothing");
            s.insert(rec(1));
        }
        try (SessionStore s = provider.open(settings(), false)) {
            assertEquals(SqliteSchema.CURRENT, s.schemaVersion());
            assertEquals(1, s.count());
        }
    }

    @Test
    void a_directory_at_the_database_path_is_a_clear_error() throws Exception {
        Files.createDirectories(db());
        MinskyException e = assertThrows(MinskyException.class, () -> provider.open(settings(), false).count());
        assertEquals(ExitCode.INCOMPLETE, e.exitCode());
        assertTrue(e.getMessage().contains("SQLITE_CANTOPEN"), e.getMessage());
    }

    @Test
    void a_healthy_database_is_not_rebuilt_by_repair() throws Exception {
        try (SessionStore s = provider.open(settings(), true)) {
            s.upsertAll(List.of(rec(1), rec(2)));
        }
        String sum = sha256(db());
        RepairReport r = provider.repair(settings(), Clock.systemUTC());
        assertFalse(r.changed());
        assertEquals(2, r.sessionsAfter());
        assertEquals(sum, sha256(db()));
    }

    @Test
    void reading_a_damaged_page_is_SQLITE_CORRUPT_exit_3_with_the_repair_command() throws Exception {
        List<SessionRecord> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            all.add(rec(i));
        }
        try (SessionStore s = provider.open(settings(), true)) {
            s.upsertAll(all);
        }
        damagePageOf("bulk-00250");
        try (SessionStore s = provider.open(settings(), false)) {
            MinskyException e = assertThrows(MinskyException.class, () -> s.list(SessionQuery.ALL));
            assertEquals(ExitCode.INCOMPLETE, e.exitCode());
            assertTrue(e.getMessage().contains("SQLITE_CORRUPT"), e.getMessage());
            assertTrue(e.hint().contains("sessiondb repair --backend sqlite --auto-recover"), e.hint());
        }
    }

    @Test
    void recover_support_is_detected_from_what_the_installed_sqlite3_can_do() throws Exception {
        Path prog = SqliteRepair.Sqlite3Recover.program();
        boolean hasDbpage = false;
        if (prog != null) {
            Process p = new ProcessBuilder(prog.toString(), ":memory:", "SELECT count(*) FROM sqlite_dbpage").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            hasDbpage = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        assertEquals(hasDbpage, SqliteRepair.Sqlite3Recover.supported(),
                "'.recover' needs sqlite_dbpage; sqlite3 at " + prog + (hasDbpage ? " has it" : " lacks it"));
    }

    /** Overwrites the table page that holds this session's row with garbage; returns its page number. */
    private long damagePageOf(String session) throws Exception {
        byte[] data = Files.readAllBytes(db());
        byte[] needle = ("/tmp/ws/" + session).getBytes(StandardCharsets.UTF_8);
        int at = indexOf(data, needle);
        assertTrue(at > 0, "row not found in the main file");
        long page = at / 4096;
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        try (RandomAccessFile f = new RandomAccessFile(db().toFile(), "rw")) {
            f.seek(page * 4096);
            f.write(garbage);
        }
        return page;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void repair_salvages_every_readable_row_keeps_the_original_and_its_wal_and_swaps_in_a_checked_file() throws Exception {
        List<SessionRecord> all = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            all.add(rec(i));
        }
        try (SessionStore s = provider.open(settings(), true)) {
            s.upsertAll(all);
        }
        // Rows committed by a process that then dies: they exist only in sessions.db-wal.
        Process writer = JavaProcess.start(JavaProcess.builder(SqliteWalWriter.class, Map.of(), db().toString(), "0", "50"));
        try (BufferedReader r = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("committed", r.readLine());
        }
        writer.destroyForcibly();
        assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        Path wal = SqliteFiles.wal(db());
        assertTrue(Files.size(wal) > 0, "the dead writer left its committed work in the -wal");
        damagePageOf("bulk-01500");
        assertFalse(provider.verify(settings()).ok());
        byte[] damagedDb = Files.readAllBytes(db());
        byte[] damagedWal = Files.readAllBytes(wal);

        Instant t = Instant.parse("2026-11-27T01:02:03Z");
        RepairReport report = provider.repair(settings(), Clock.fixed(t, ZoneOffset.UTC));
        assertTrue(report.changed());
        assertNotNull(report.original());
        assertEquals(dir.resolve("sessions.db.corrupt-20261127T010203Z"), report.original());
        assertArrayEquals(damagedDb, Files.readAllBytes(report.original()), "the original is kept byte for byte");
        assertArrayEquals(damagedWal, Files.readAllBytes(Path.of(report.original() + "-wal")), "and its -wal with it");
        assertTrue(report.method().contains("row salvage") || report.method().contains(".recover"), report.method());

        VerifyReport v = provider.verify(settings());
        assertTrue(v.ok(), v.problems().toString());
        assertEquals(report.sessionsAfter(), v.sessions());
        try (SessionStore s = provider.open(settings(), false)) {
            assertTrue(s.get("wal-00049").isPresent(), "work committed only in the -wal was recovered");
            assertEquals(all.get(0), s.get("bulk-00000").orElseThrow());
            assertEquals(all.get(2999), s.get("bulk-02999").orElseThrow());
            assertTrue(s.get("bulk-01500").isEmpty(), "the row on the destroyed page is gone");
            long lost = 3050 - s.count();
            assertTrue(lost > 0 && lost < 100, "only the rows of one page are lost, lost " + lost);
        }
        try (Stream<Path> leftovers = Files.list(dir)) {
            assertEquals(List.of(), leftovers.map(p -> p.getFileName().toString()).filter(n -> n.contains(".repair-")).toList(),
                    "scratch files are cleaned up");
        }
    }
}
