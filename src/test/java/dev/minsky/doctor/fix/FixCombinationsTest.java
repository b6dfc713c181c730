package dev.minsky.doctor.fix;

import static dev.minsky.doctor.fix.FixTesting.applied;
import static dev.minsky.doctor.fix.FixTesting.causes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.NobodyHome;
import dev.minsky.testutil.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two faults in one store, fixed in one {@code doctor --fix --yes}: the cause the other must wait
 * for (its playbook's {@code after}) is fixed first, the run ends healthy and no session is lost.
 * Permission faults only show to a user other than root, so those stores belong to {@code nobody}
 * and minsky runs as nobody.
 */
class FixCombinationsTest {
    @RegisterExtension
    final NobodyHome nobody = new NobodyHome();

    @TempDir
    Path tmp;

    private Processes.Output asNobody(String... args) throws Exception {
        return BrokenStates.runMinskyAs("nobody", nobody.home(), args);
    }

    private static JsonNode json(Processes.Output r) throws Exception {
        try {
            return SessionJson.mapper().readTree(r.out());
        } catch (Exception e) {
            throw new AssertionError("not JSON (exit " + r.code() + "): " + r.out() + "\n" + r.err(), e);
        }
    }

    /** The remediations applied, in order. */
    private static List<String> appliedActions(JsonNode fix) {
        return applied(fix, "applied").stream().map(a -> a.path("remediation").asText()).toList();
    }

    private static void sh(String... cmd) throws Exception {
        Processes.Output o = Processes.run(new ProcessBuilder(cmd).redirectErrorStream(true), java.time.Duration.ofSeconds(30));
        assertEquals(0, o.code(), String.join(" ", cmd) + ": " + o.out());
    }

    private static void sql(Path db, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /**
     * The records an SQLite store holds, read from a copy of its database and -wal in a home of
     * their own, so that reading them does not checkpoint (and so repair) the store under test.
     */
    private List<SessionRecord> recordsOfACopy(Path db) throws Exception {
        Path home = Files.createTempDirectory(tmp, "copy-");
        BrokenStates.config(home, Map.of("backend", "sqlite"));
        Path copy = BrokenStates.settings(home).sqlitePath();
        Files.createDirectories(copy.getParent());
        for (String suffix : List.of("", "-wal")) {
            Path p = Path.of(db + suffix);
            if (Files.exists(p)) {
                Files.copy(p, Path.of(copy + suffix), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return FixTesting.records(home);
    }

    /** The store's records as nobody sees them, through 'minsky session list --json'. */
    private List<String> namesAsNobody() throws Exception {
        Processes.Output list = asNobody("session", "list", "--json");
        assertEquals(0, list.code(), list.out() + list.err());
        List<String> names = new ArrayList<>();
        SessionJson.mapper().readTree(list.out()).forEach(n -> names.add(n.path("session").asText()));
        return names;
    }

    private static TreeSet<String> names(List<SessionRecord> rs) {
        TreeSet<String> out = new TreeSet<>();
        rs.forEach(r -> out.add(r.session()));
        return out;
    }

    private static void assertHealthyAfter(JsonNode fix, String out) {
        assertTrue(fix.path("after").path("healthy").asBoolean(), "the run ends healthy: " + out);
        assertEquals(List.of(), causes(fix.path("after")), out);
        assertEquals(List.of(), applied(fix, "rolled-back"), "nothing had to be rolled back: " + out);
        assertEquals(List.of(), applied(fix, "failed"), out);
    }

    @Test
    void stale_wal_in_a_database_the_user_cannot_write_is_chmodded_before_the_checkpoint() throws Exception {
        Path home = nobody.home();
        BrokenStates.Built b = BrokenStates.staleWal(home, 2);
        assertTrue(Files.size(Path.of(b.store() + "-wal")) > 0, "committed frames sit in the -wal");
        List<SessionRecord> before = recordsOfACopy(b.store());
        assertEquals(5, before.size(), "3 checkpointed sessions and 2 only in the -wal");
        sh("chown", "-R", "nobody:nogroup", home.toString());
        sh("chmod", "0444", b.store().toString());

        Processes.Output r = asNobody("doctor", "--fix", "--yes", "--json");
        JsonNode fix = json(r);
        assertEquals(List.of("sqlite.readonly-permissions", "sqlite.stale-wal"), causes(fix).subList(0, 2), r.out());
        List<String> done = appliedActions(fix);
        assertEquals("fs.chmod-owner", done.get(0), "permissions first: " + r.out());
        // The fixer's own count of the sessions after the chmod reads without checkpointing (a
        // read-only connection while a -wal exists): the journaled checkpoint step does it, next.
        assertTrue(done.size() > 1 && done.get(1).contains("checkpoint"), "then the journaled checkpoint step: " + r.out());
        assertHealthyAfter(fix, r.out());
        assertFalse(Files.exists(Path.of(b.store() + "-wal")) && Files.size(Path.of(b.store() + "-wal")) > 0,
                "the committed frames are in the database now");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(names(before), new TreeSet<>(namesAsNobody()), "every session kept, the -wal's ones included");
        FixTesting.assertKept(home, before);
    }

    @Test
    void a_stale_wal_in_a_database_of_another_user_is_not_checkpointed_and_the_manual_step_is_shown() throws Exception {
        Path home = nobody.home();
        BrokenStates.Built b = BrokenStates.staleWal(home, 2);
        sh("chown", "-R", "nobody:nogroup", home.toString());
        sh("chown", "root:root", b.store().toString(), b.store() + "-wal", b.store() + "-shm");
        sh("chmod", "0644", b.store().toString(), b.store() + "-wal", b.store() + "-shm");
        Map<String, String> untouched = FixTesting.fingerprint(b.store(), Path.of(b.store() + "-wal"));

        Processes.Output look = asNobody("doctor");
        assertEquals(1, look.code(), look.out() + look.err());
        assertTrue(look.out().indexOf("sqlite.readonly-permissions ·") < look.out().indexOf("sqlite.stale-wal ·"), look.out());
        assertTrue(look.out().contains("after fixing sqlite.readonly-permissions: its fixes cannot work before"), look.out());

        Processes.Output r = asNobody("doctor", "--fix", "--yes");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("after fixing sqlite.readonly-permissions"), r.out());
        assertTrue(r.out().contains("sqlite.checkpoint-wal: not attempted: it cannot work until sqlite.readonly-permissions is fixed"),
                r.out());
        assertTrue(r.out().contains("sudo chown"), "it says what to do first: " + r.out());
        assertEquals(untouched, FixTesting.fingerprint(b.store(), Path.of(b.store() + "-wal")), "not a byte changed");
        assertFalse(Files.exists(b.stateDir().resolve("doctor/journal")), "nothing was attempted, so nothing journaled");
    }

    @Test
    void a_database_not_in_wal_mode_the_user_cannot_write_is_chmodded_then_switched_to_wal() throws Exception {
        Path home = nobody.home();
        BrokenStates.Built b = BrokenStates.healthySqlite(home, 3);
        sql(b.store(), "PRAGMA journal_mode=DELETE");
        List<SessionRecord> before = FixTesting.records(home);
        sh("chown", "-R", "nobody:nogroup", home.toString());
        sh("chmod", "0444", b.store().toString());

        Processes.Output r = asNobody("doctor", "--fix", "--yes", "--json");
        JsonNode fix = json(r);
        // 0444 also lets everyone read the sessions: a third fault, fixed once the owner can write
        assertEquals(List.of("sqlite.readonly-permissions", "store.world-readable", "perf.wal-disabled"), causes(fix), r.out());
        assertEquals(List.of("sqlite.readonly-permissions"),
                SessionJson.mapper().convertValue(fix.path("findings").get(1).path("fixAfter"), List.class), r.out());
        assertEquals(List.of("sqlite.readonly-permissions"),
                SessionJson.mapper().convertValue(fix.path("findings").get(2).path("fixAfter"), List.class), r.out());
        List<String> done = appliedActions(fix);
        assertTrue(done.indexOf("fs.chmod-owner") >= 0 && done.indexOf("fs.chmod-owner") < done.indexOf("sqlite.enable-wal"), r.out());
        assertHealthyAfter(fix, r.out());
        assertEquals(names(before), new TreeSet<>(namesAsNobody()));
        FixTesting.assertKept(home, before);
    }

    @Test
    void a_truncated_json_store_the_user_cannot_write_is_chmodded_then_salvaged() throws Exception {
        Path home = nobody.home();
        BrokenStates.Built b = BrokenStates.truncatedJson(home, 4);
        sh("chown", "-R", "nobody:nogroup", home.toString());
        sh("chmod", "0444", b.store().toString());

        Processes.Output r = asNobody("doctor", "--fix", "--yes", "--json");
        JsonNode fix = json(r);
        assertEquals(List.of("json.permission-denied", "json.truncated-write"), causes(fix).subList(0, 2), r.out());
        List<String> done = appliedActions(fix);
        assertTrue(done.indexOf("fs.chmod-owner") >= 0 && done.indexOf("fs.chmod-owner") < done.indexOf("json.salvage"), r.out());
        assertHealthyAfter(fix, r.out());
        TreeSet<String> now = new TreeSet<>(namesAsNobody());
        assertTrue(now.containsAll(List.of("task-1d-0", "task-1d-1", "task-1d-2")), "every complete record was kept: " + now);
        assertTrue(List.of("task-1d-0", "task-1d-1", "task-1d-2", "task-1d-3").containsAll(now), "and none made up: " + now);
    }

    @Test
    void old_sessions_without_a_backup_are_backed_up_before_they_are_cleaned() throws Exception {
        Path home = tmp.resolve("home");
        BrokenStates.config(home, Map.of("backend", "json"));
        List<SessionRecord> young = BrokenStates.sessions(home, 3, 1);
        List<SessionRecord> old = BrokenStates.sessions(home, 5, 120);
        List<SessionRecord> all = new ArrayList<>(young);
        all.addAll(old);
        BrokenStates.fill(home, all);

        Cli.Result r = new Cli(home).run("doctor", "--fix", "--yes", "--json");
        JsonNode fix = FixTesting.json(r);
        assertEquals(List.of("backup.none-recent", "perf.stale-sessions"), causes(fix), r.toString());
        List<JsonNode> done = applied(fix, "applied");
        assertEquals(List.of("backup.create", "sessions.clean-old"),
                done.stream().map(a -> a.path("remediation").asText()).distinct().toList(),
                r.toString());
        assertEquals("backup.none-recent", done.get(0).path("cause").asText(), "the backup is the first fix: " + r);
        assertHealthyAfter(fix, r.out());
        assertEquals(names(young), names(FixTesting.records(home)), "the young sessions stay in the store");
        // every session is somewhere: the backup the first step took holds them all, as they were
        Path backup = Files.list(home.resolve(".local/state/minsky/backups")).sorted().findFirst().orElseThrow();
        Map<String, SessionRecord> backedUp = new TreeMap<>();
        SessionJson.parseFile(backup).forEach(x -> backedUp.put(x.session(), x));
        for (SessionRecord x : all) {
            assertEquals(x, backedUp.get(x.session()), "session " + x.session() + " is in the backup " + backup);
        }
    }

    @Test
    void a_garbled_json_store_with_a_backup_is_restored_before_orphaned_workspaces_are_rebuilt() throws Exception {
        Path home = tmp.resolve("home");
        BrokenStates.Built b = BrokenStates.healthyJson(home, 3);
        List<SessionRecord> before = FixTesting.records(home);
        FixTesting.writeBackup(b, before);
        Files.createDirectories(b.stateDir().resolve("sessions/orphan-0"));
        byte[] all = Files.readAllBytes(b.store());
        for (int i = all.length / 3; i < all.length / 3 + 32; i++) {
            all[i] = 0;
        }
        Files.write(b.store(), all);

        Cli.Result r = new Cli(home).run("doctor", "--fix", "--yes", "--json");
        JsonNode fix = FixTesting.json(r);
        List<JsonNode> done = applied(fix, "applied");
        List<String> causesFixed = done.stream().map(a -> a.path("cause").asText()).distinct().toList();
        assertTrue(causesFixed.contains("json.corrupt") && causesFixed.contains("sessions.orphaned-workspaces"), r.toString());
        assertTrue(causesFixed.indexOf("json.corrupt") < causesFixed.indexOf("sessions.orphaned-workspaces"),
                "the store is restored before records are rebuilt from workspaces: " + causesFixed);
        assertHealthyAfter(fix, r.out());
        FixTesting.assertKept(home, before);
        assertEquals(new TreeSet<>(List.of("orphan-0", "task-1d-0", "task-1d-1", "task-1d-2")), names(FixTesting.records(home)),
                "the backed-up records as they were, and one rebuilt for the orphaned workspace");
    }
}
