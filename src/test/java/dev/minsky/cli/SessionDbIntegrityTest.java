package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.testutil.Cli;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify, repair, recover and healthcheck on damaged real files. */
class SessionDbIntegrityTest {
    @TempDir
    Path home;

    Cli init(String backend) {
        Cli cli = new Cli(home);
        Cli.Result r = cli.run("sessiondb", "init", "--backend", backend);
        assertEquals(0, r.code(), r.toString());
        return cli;
    }

    Path importRecords(Cli cli, int n) throws Exception {
        Path f = home.resolve("in-" + n + ".json");
        Files.writeString(f, SessionDbMigrationTest.records(n));
        Cli.Result r = cli.run("sessiondb", "import", "--file", f.toString());
        assertEquals(0, r.code(), r.toString());
        return f;
    }

    static List<Path> backups(Cli cli) throws Exception {
        return SessionDbCommandTest.backups(cli);
    }

    @Test
    void healthcheck_is_quiet_when_healthy_and_exits_1_for_problems_and_3_when_unreachable() throws Exception {
        Cli cli = init("sqlite");
        importRecords(cli, 5);
        Cli.Result ok = cli.run("sessiondb", "healthcheck");
        assertEquals(0, ok.code(), ok.toString());
        assertEquals("", ok.out());
        assertEquals("", ok.err());
        JsonNode js = SessionJson.mapper().readTree(cli.run("sessiondb", "healthcheck", "--json").out());
        assertEquals("healthy", js.get("status").asText());
        assertEquals(5, js.get("sessions").asInt());

        // a JSON store that does not parse: a problem, not an outage
        Cli jsonCli = new Cli(home.resolve("other"));
        assertEquals(0, jsonCli.run("sessiondb", "init", "--backend", "json").code());
        Files.writeString(jsonCli.stateDir().resolve("session-db.json"), SessionDbMigrationTest.records(3).substring(0, 200));
        Cli.Result bad = jsonCli.run("sessiondb", "healthcheck");
        assertEquals(1, bad.code(), bad.toString());
        assertEquals("", bad.out());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());

        // a store that cannot be opened: a directory where the database should be
        Path db = cli.stateDir().resolve("sessions.db");
        Files.move(db, home.resolve("moved.db"));
        Files.createDirectories(db);
        Cli.Result down = cli.run("sessiondb", "healthcheck");
        assertEquals(3, down.code(), down.toString());
        assertEquals(1, down.err().strip().lines().count(), down.err());
        assertTrue(down.err().contains("unreachable"), down.err());
    }

    @Test
    void verify_reports_a_truncated_json_store_and_repair_salvages_it_after_a_backup() throws Exception {
        Cli cli = init("json");
        Path store = cli.stateDir().resolve("session-db.json");
        String full = SessionDbMigrationTest.records(10);
        // cut inside the 8th record: 7 complete records remain
        int cut = nthIndexOf(full, "{\"session\"", 8) + 20;
        Files.writeString(store, full.substring(0, cut));
        byte[] damaged = Files.readAllBytes(store);

        Cli.Result v = cli.run("sessiondb", "verify");
        assertEquals(1, v.code(), v.toString());
        assertTrue(v.out().contains("does not parse"), v.out());
        assertArrayEquals(damaged, Files.readAllBytes(store), "verify changes nothing");

        Cli.Result r = cli.run("sessiondb", "verify", "--repair", "--json");
        assertEquals(0, r.code(), r.toString());
        JsonNode n = SessionJson.mapper().readTree(r.out());
        assertFalse(n.get("verify").get("ok").asBoolean());
        assertTrue(n.get("after").get("ok").asBoolean());
        assertEquals(7, n.get("after").get("sessions").asInt());
        Path original = Path.of(n.get("repair").get("original").asText());
        assertArrayEquals(damaged, Files.readAllBytes(original), "the damaged original is kept");
        assertEquals(7, SessionJson.parse(Files.readAllBytes(store)).size());
        assertTrue(cli.run("logs", "--component", "sessiondb").out().contains("repair json store"));
    }

    @Test
    void recover_restores_the_sessions_a_truncation_lost_from_the_newest_fuller_backup() throws Exception {
        Cli cli = init("json");
        Path store = cli.stateDir().resolve("session-db.json");
        String full = SessionDbMigrationTest.records(10);
        Files.writeString(store, full);
        // a backup, as the weekly maintenance script would have made
        assertEquals(0, cli.run("sessiondb", "export", "-o", cli.stateDir().resolve("backups/weekly.json").toString()).code());
        // a session started since the backup, then a crash that truncated the file after it
        assertEquals(0, cli.run("session", "start", "after-backup", "--repo", "/tmp/r").code());
        String now = Files.readString(store);
        int cut = nthIndexOf(now, "\"session\"", 6) + 5;
        String truncated = now.substring(0, cut);
        // make sure the record started after the backup is among the complete ones
        String moved = "[" + now.substring(now.lastIndexOf("{", now.indexOf("\"after-backup\"")), now.lastIndexOf("}") + 1) + ","
                + truncated.substring(1);
        Files.writeString(store, moved);
        assertEquals(1, cli.run("sessiondb", "verify").code());

        Cli.Result plan = cli.run("sessiondb", "recover");
        assertEquals(1, plan.code(), plan.toString());
        assertArrayEquals(moved.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(store), "without --auto nothing changes");

        Cli.Result r = cli.run("sessiondb", "recover", "--auto", "--backup-first");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("restored 10 sessions from"), r.out());
        assertTrue(r.out().contains("kept 1 session only the repaired store held"), r.out());
        List<SessionRecord> after = SessionJson.parse(Files.readAllBytes(store));
        assertEquals(11, after.size());
        assertTrue(new HashSet<>(after).containsAll(SessionJson.parse(full.getBytes())));
        assertTrue(after.stream().anyMatch(x -> x.session().equals("after-backup")));
        assertEquals(0, cli.run("sessiondb", "verify").code());
    }

    @Test
    void recover_leaves_a_healthy_store_alone() throws Exception {
        Cli cli = init("sqlite");
        importRecords(cli, 4);
        byte[] before = Files.readAllBytes(cli.stateDir().resolve("sessions.db"));
        Cli.Result r = cli.run("sessiondb", "recover", "--auto", "--backup-first");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("nothing was changed"), r.out());
        assertArrayEquals(before, Files.readAllBytes(cli.stateDir().resolve("sessions.db")));
        assertEquals(1, backups(cli).size(), "the backup is always taken first");
    }

    @Test
    void repair_of_a_damaged_sqlite_page_keeps_the_original_and_recover_brings_back_the_lost_rows() throws Exception {
        Cli cli = init("sqlite");
        Path in = importRecords(cli, 3000);
        Path db = cli.stateDir().resolve("sessions.db");
        assertEquals(0, cli.run("sessiondb", "export", "-o", cli.stateDir().resolve("backups/nightly.json").toString()).code());
        damagePageHolding(db, "pr/s-1500");
        Path damagedCopy = home.resolve("damaged.db");
        Files.copy(db, damagedCopy);

        Cli.Result v = cli.run("sessiondb", "verify");
        assertEquals(1, v.code(), v.toString());
        Cli.Result dry = cli.run("sessiondb", "repair", "--backend", "sqlite");
        assertEquals(1, dry.code(), dry.toString());
        assertTrue(dry.out().contains("--auto-recover"), dry.out());

        Cli.Result rep = cli.run("sessiondb", "repair", "--backend", "sqlite", "--auto-recover", "--json");
        assertEquals(0, rep.code(), rep.toString());
        JsonNode n = SessionJson.mapper().readTree(rep.out());
        long after = n.get("after").get("sessions").asLong();
        assertTrue(after < 3000 && after > 2900, "one page of rows is lost: " + after);
        assertTrue(Files.exists(Path.of(n.get("repair").get("original").asText())));

        Cli.Result healthy = cli.run("sessiondb", "recover", "--auto");
        assertEquals(0, healthy.code(), healthy.toString());
        assertTrue(healthy.out().contains("nightly.json holds 3000 sessions"), healthy.out());

        // the same damage again, this time straight to the emergency path
        Files.copy(damagedCopy, db, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Cli.Result rec = cli.run("sessiondb", "recover", "--auto", "--backup-first");
        assertEquals(0, rec.code(), rec.toString());
        assertTrue(rec.out().contains("nightly.json"), rec.out());
        Cli.Result exp = cli.run("sessiondb", "export");
        assertEquals(new HashSet<>(SessionJson.parse(Files.readAllBytes(in))), new HashSet<>(SessionJson.parse(exp.out().getBytes())));
    }

    static int nthIndexOf(String s, String needle, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = s.indexOf(needle, at + 1);
        }
        return at;
    }

    /** Overwrites the page of the database file that holds this text with random bytes. */
    static void damagePageHolding(Path db, String text) throws Exception {
        byte[] data = Files.readAllBytes(db);
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        int at = -1;
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            at = i;
            break;
        }
        assertTrue(at > 4096, "row not found in the main file");
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            byte[] garbage = new byte[4096];
            new Random(7).nextBytes(garbage);
            f.seek((at / 4096) * 4096L);
            f.write(garbage);
        }
        try (Stream<Path> s = Files.list(db.getParent())) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().equals("sessions.db-wal") && p.toFile().length() > 0),
                    "the rows must be in the main file, not a -wal");
        }
    }
}
