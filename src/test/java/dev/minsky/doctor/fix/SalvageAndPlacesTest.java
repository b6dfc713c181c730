package dev.minsky.doctor.fix;

import static dev.minsky.doctor.fix.FixTesting.causes;
import static dev.minsky.doctor.fix.FixTesting.json;
import static dev.minsky.doctor.fix.FixTesting.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.admin.MigrationJournal;
import dev.minsky.config.Settings;
import dev.minsky.model.JsonSalvage;
import dev.minsky.model.SessionJson;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import dev.minsky.util.AtomicFiles;
import dev.minsky.model.SessionRecord;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.Processes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real broken stores: every whole record is salvaged wherever it sits in the file, records rebuilt
 * from workspaces carry only what the workspace's git metadata says, and sessions are looked for
 * in every place they can be (temp files of an interrupted write, an interrupted migration).
 */
class SalvageAndPlacesTest {
    @TempDir
    Path home;

    private static Map<String, SessionRecord> byName(List<SessionRecord> rs) {
        Map<String, SessionRecord> m = new TreeMap<>();
        rs.forEach(r -> m.put(r.session(), r));
        return m;
    }

    private static JsonNode finding(JsonNode report, String cause) {
        for (JsonNode f : report.path("findings")) {
            if (cause.equals(f.path("cause").asText())) {
                return f;
            }
        }
        throw new AssertionError("no finding " + cause + " in " + report);
    }

    /** Where the field {@code field} starts inside the record of {@code session} in a store file's bytes (-1: not there). */
    private static int offset(byte[] store, String field, String session) {
        String text = new String(store, StandardCharsets.UTF_8);
        return text.indexOf("\"" + field + "\"", text.indexOf("\"" + session + "\""));
    }

    private static Stream<JsonNode> each(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private static JsonNode diagnose(Cli cli) {
        return json(cli.run("doctor", "--json"));
    }

    private static Cli.Result fixWithConsent(Cli cli) {
        return cli.run("doctor", "--fix", "--yes", "--json");
    }

    /** Whether the fix applied this remediation (and it stayed applied). */
    private static boolean applied(JsonNode fix, String remediation) {
        return FixTesting.applied(fix, "applied").stream().anyMatch(a -> a.path("remediation").asText().equals(remediation));
    }

    /** No finding offers a new empty store ({@code store.init}) while the sessions are somewhere else. */
    private static void assertNoEmptyStoreOffered(JsonNode report, String why) {
        for (JsonNode other : report.path("findings")) {
            assertTrue(each(other.path("remediations")).noneMatch(x -> x.path("id").asText().equals("store.init")), why + ": " + report);
        }
    }

    /**
     * The fix restores the missing store from the file beside it with {@code remediation}: the store
     * then holds exactly {@code expected} ({@code which} says what they are) and the file is left
     * as it was. Returns the fix's result, for what else the test checks before {@link #assertUndoRemovesStore}.
     */
    private Cli.Result assertRestoredFrom(Cli cli, String remediation, Map<String, SessionRecord> expected, String which,
                                          Path source, byte[] sourceBytes, String sourceName) throws Exception {
        Cli.Result r = fixWithConsent(cli);
        assertTrue(applied(json(r), remediation), r.toString());
        assertEquals(expected, byName(records(home)), "exactly the " + which);
        assertTrue(java.util.Arrays.equals(sourceBytes, Files.readAllBytes(source)), "the " + sourceName + " is left as it was");
        return r;
    }

    /** The store was missing before the fix: undoing it takes the restored store away again. */
    private static void assertUndoRemovesStore(Cli cli, BrokenStates.Built b) {
        assertEquals(0, cli.run("doctor", "--undo").code());
        assertFalse(Files.exists(b.store()), "undo takes the restored store away again");
    }

    @Test
    void garbage_in_the_middle_keeps_every_whole_record_before_and_after_it_and_says_there_is_no_backup() throws Exception {
        BrokenStates.Built b = BrokenStates.healthyJson(home, 8);
        List<SessionRecord> all = records(home);
        byte[] data = Files.readAllBytes(b.store());
        // garbage from inside record 3 to inside record 4: both are damaged, 0-2 and 5-7 are whole
        int from = offset(data, "repoUrl", "task-1d-3");
        int to = offset(data, "createdAt", "task-1d-4");
        assertTrue(from > 0 && to > from, new String(data, StandardCharsets.UTF_8));
        Random rnd = new Random(8);
        for (int i = from; i < to; i++) {
            data[i] = (byte) "{}[]\",:x#\u0000".charAt(rnd.nextInt(10));
        }
        data[from] = '{';
        Files.write(b.store(), data);
        Map<String, SessionRecord> expected = byName(all);
        expected.remove("task-1d-3");
        expected.remove("task-1d-4");

        assertEquals(expected, byName(JsonSalvage.read(data).records()), "the salvage reads exactly the whole records");

        Cli cli = new Cli(home);
        JsonNode report = diagnose(cli);
        JsonNode f = finding(report, "json.corrupt");
        assertTrue(each(f.path("evidence"))
                        .anyMatch(e -> e.path("fact").asText().equals("backup.count") && e.path("note").asText().equals("no backup to fall back on")),
                "the evidence says there is no backup: " + f);
        assertTrue(each(f.path("remediations"))
                .anyMatch(x -> x.path("id").asText().equals("json.salvage") && x.path("summary").asText().contains("no backup to fall back on")),
                "the salvage says there is no backup: " + f);
        Cli.Result human = cli.run("doctor");
        assertTrue(human.out().contains("no backup to fall back on"), human.toString());

        Cli.Result r = fixWithConsent(cli);
        JsonNode fix = json(r);
        assertFalse(FixTesting.applied(fix, "applied").isEmpty(), r.toString());
        assertFalse(causes(fix.path("after")).contains("json.corrupt"), r.toString());
        Map<String, SessionRecord> now = byName(records(home));
        for (SessionRecord w : expected.values()) {
            assertEquals(w, now.get(w.session()), "whole record " + w.session() + " kept as it was");
        }
        // the two damaged records' workspaces come back only as rebuilt records that guess nothing
        for (String lost : List.of("task-1d-3", "task-1d-4")) {
            SessionRecord rb = now.get(lost);
            if (rb != null) {
                assertEquals("workspace", rb.toJson().path("rebuiltFrom").asText(), rb.toString());
                assertEquals("", rb.toJson().path("repoName").asText(), rb.toString());
                assertEquals("", rb.toJson().path("repoUrl").asText(), rb.toString());
                assertTrue(rb.toJson().path("taskId").isMissingNode(), rb.toString());
            }
        }
        assertEquals(expected.size() + 2, now.size(), "the whole records plus the two rebuilt ones: " + now.keySet());
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.name=t", "-c", "user.email=t@example.com",
                "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        Processes.Output o = Processes.run(new ProcessBuilder(cmd), Duration.ofSeconds(30));
        assertEquals(0, o.code(), String.join(" ", cmd) + ": " + o);
        return o.out().strip();
    }

    @Test
    void rebuilt_records_take_their_fields_from_git_metadata_or_leave_them_empty() throws Exception {
        BrokenStates.Built b = BrokenStates.healthyJson(home, 2);
        List<SessionRecord> existing = records(home);
        Path sessions = b.stateDir().resolve("sessions");
        Path cloned = Files.createDirectories(sessions.resolve("widget-work"));
        git(cloned, "init", "-q");
        git(cloned, "remote", "add", "origin", "git@example.org:acme/widget.git");
        git(cloned, "checkout", "-q", "-b", "feature/x");
        git(cloned, "commit", "-q", "--allow-empty", "-m", "first");
        String head = git(cloned, "rev-parse", "HEAD");
        Path plain = Files.createDirectories(sessions.resolve("md-123"));
        Files.writeString(plain.resolve("notes.txt"), "no git here");

        Cli.Result r = fixWithConsent(new Cli(home));
        JsonNode fix = json(r);
        assertTrue(causes(fix).contains("sessions.orphaned-workspaces"), r.toString());
        assertTrue(FixTesting.applied(fix, "applied").stream().anyMatch(a -> a.path("detail").asText().contains("rebuilt: md-123, widget-work")),
                "the fix names the rebuilt records: " + r);
        Map<String, SessionRecord> now = byName(records(home));
        for (SessionRecord e : existing) {
            assertEquals(e, now.get(e.session()), "existing record kept");
        }
        JsonNode g = now.get("widget-work").toJson();
        assertEquals("git@example.org:acme/widget.git", g.path("repoUrl").asText(), g.toString());
        assertEquals("widget", g.path("repoName").asText(), g.toString());
        assertEquals("feature/x", g.path("branch").asText(), g.toString());
        assertEquals(head, g.path("headCommit").asText(), g.toString());
        assertEquals("workspace", g.path("rebuiltFrom").asText(), g.toString());
        assertTrue(g.path("taskId").isMissingNode(), "no taskId is recorded anywhere, so none is made up: " + g);

        JsonNode p = now.get("md-123").toJson();
        assertEquals("", p.path("repoUrl").asText("x"), p.toString());
        assertEquals("", p.path("repoName").asText("x"), p.toString());
        assertTrue(p.path("branch").isMissingNode(), "no branch without git: " + p);
        assertTrue(p.path("taskId").isMissingNode(), "no taskId guessed from the name md-123: " + p);
        assertTrue(p.path("headCommit").isMissingNode(), p.toString());
        assertEquals(plain.toString(), p.path("repoPath").asText(), p.toString());
    }

    @Test
    void store_file_gone_with_a_complete_temp_file_beside_it_restores_exactly_its_sessions() throws Exception {
        BrokenStates.Built b = BrokenStates.healthyJson(home, 5);
        List<SessionRecord> all = records(home);
        Path temp = b.store().resolveSibling(AtomicFiles.TEMP_PREFIX + b.store().getFileName() + "-7a8b9c");
        Files.write(temp, Files.readAllBytes(b.store()));
        Files.delete(b.store());
        byte[] tempBytes = Files.readAllBytes(temp);

        Cli cli = new Cli(home);
        JsonNode report = diagnose(cli);
        assertEquals("json.interrupted-write", causes(report).get(0), "ranked first: " + report);
        JsonNode f = finding(report, "json.interrupted-write");
        assertTrue(f.path("title").asText().contains("holds 5 sessions"), f.toString());
        assertTrue(each(f.path("remediations"))
                .anyMatch(x -> x.path("id").asText().equals("json.restore-temp-file") && x.path("summary").asText().contains(temp.toString())
                        && x.path("summary").asText().contains("5 sessions")), "names the temp file and its count: " + f);
        assertNoEmptyStoreOffered(report, "no empty store while the temp file holds sessions");

        Cli.Result r = assertRestoredFrom(cli, "json.restore-temp-file", byName(all), "sessions of the temp file", temp, tempBytes, "temp file");
        JsonNode fix = json(r);
        assertFalse(applied(fix, "store.init"), r.toString());
        assertFalse(causes(fix.path("after")).contains("json.file-missing"), r.toString());

        assertUndoRemovesStore(cli, b);
    }

    @Test
    void store_file_gone_with_a_salvage_s_damaged_copy_beside_it_restores_its_whole_records_not_an_empty_store() throws Exception {
        BrokenStates.Built b = BrokenStates.healthyJson(home, 6);
        List<SessionRecord> all = records(home);
        byte[] data = Files.readAllBytes(b.store());
        int at = offset(data, "createdAt", "task-1d-2");
        assertTrue(at > 0, new String(data, StandardCharsets.UTF_8));
        for (int i = at; i < at + 12; i++) {
            data[i] = '#';
        }
        Files.write(b.store(), data);
        Map<String, SessionRecord> whole = byName(all);
        SessionRecord lost = whole.remove("task-1d-2");
        // the damaged record's workspace is gone too: nothing could rebuild it, so the whole records are all there is
        Path ws = Path.of(lost.repoPath());
        if (Files.exists(ws)) {
            try (var walk = Files.walk(ws)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }

        Cli cli = new Cli(home);
        // minsky's own repair keeps the damaged original beside the store ...
        Cli.Result repair = cli.run("sessiondb", "repair", "--auto-recover");
        assertEquals(0, repair.code(), repair.toString());
        assertFalse(repair.out().contains("-1 sessions"), "no count of -1 is shown: " + repair);
        List<Path> copies;
        try (var st = Files.list(b.stateDir())) {
            copies = st.filter(p -> p.getFileName().toString().startsWith(b.store().getFileName() + ".corrupt")).toList();
        }
        assertEquals(1, copies.size(), repair.toString());
        Path copy = copies.get(0);
        byte[] copyBytes = Files.readAllBytes(copy);
        // ... and that is no finding while the store is there
        JsonNode healthy = diagnose(cli);
        assertTrue(healthy.path("healthy").asBoolean(), "a copy minsky keeps after a salvage is not a fault: " + healthy);

        // then the store file is lost: the copy is the fullest place the sessions are
        Files.delete(b.store());
        JsonNode report = diagnose(cli);
        assertEquals("json.sessions-in-corrupt-copy", causes(report).get(0), "ranked first: " + report);
        JsonNode f = finding(report, "json.sessions-in-corrupt-copy");
        assertTrue(f.path("title").asText().contains(copy.toString()) && f.path("title").asText().contains("5 whole records"), f.toString());
        assertNoEmptyStoreOffered(report, "no empty store while the copy holds sessions");

        Cli.Result r = assertRestoredFrom(cli, "json.restore-corrupt-copy", whole, "whole records of the copy, none invented",
                copy, copyBytes, "copy");
        assertTrue(json(r).path("after").path("healthy").asBoolean(), r.toString());

        assertUndoRemovesStore(cli, b);
    }

    @Test
    void interrupted_migration_ranks_first_with_both_counts_and_the_fix_finishes_it_with_every_session() throws Exception {
        BrokenStates.Built b = BrokenStates.healthyJson(home, 6);
        List<SessionRecord> all = records(home);
        Settings json = BrokenStates.settings(home);
        Settings sqlite = json.withBackend("sqlite");
        try (SessionStore target = Stores.open(sqlite, true)) {
            target.upsertAll(all.subList(0, 2)); // the migration was stopped after two sessions reached the target
        }
        ObjectNode j = SessionJson.mapper().createObjectNode();
        j.put("schemaVersion", 1).put("id", "m-test").put("from", "json").put("to", "sqlite")
                .put("fromLocation", json.jsonPath().toString()).put("toLocation", sqlite.sqlitePath().toString())
                .put("sessions", 6).putNull("backup").put("state", "started")
                .put("startedAt", "2026-12-01T00:00:00Z").put("updatedAt", "2026-12-01T00:00:01Z").putNull("error");
        Files.write(b.stateDir().resolve(MigrationJournal.FILE), SessionJson.mapper().writeValueAsBytes(j));

        Cli cli = new Cli(home);
        JsonNode report = diagnose(cli);
        assertEquals("store.migration-interrupted", causes(report).get(0), "ranked first: " + report);
        String title = finding(report, "store.migration-interrupted").path("title").asText();
        assertTrue(title.contains("source holds 6 sessions") && title.contains("the target 2"), "both counts: " + title);
        String split = finding(report, "store.split-brain").path("title").asText();
        assertTrue(split.contains("json store holds 6 sessions") && split.contains(sqlite.sqlitePath() + " holds 2"),
                "split-brain names every count: " + split);

        Cli.Result r = fixWithConsent(cli);
        JsonNode fix = json(r);
        assertTrue(applied(fix, "store.migration-complete"), r.toString());
        assertFalse(causes(fix.path("after")).contains("store.migration-interrupted"), r.toString());
        assertEquals("sqlite", BrokenStates.settings(home).backend(), "switched to the target");
        assertEquals(byName(all), byName(records(home)), "the target holds every session, unchanged");
        assertEquals(byName(all), byName(StoreState.readAll(json)), "the source was only read");
        assertEquals("switched", new MigrationJournal(b.stateDir()).read().orElseThrow().state());

        assertEquals(0, cli.run("doctor", "--undo").code());
        assertEquals("json", BrokenStates.settings(home).backend(), "undo puts the configured backend back");
        assertEquals(byName(all.subList(0, 2)), byName(StoreState.readAll(sqlite)), "undo puts the target back as it was");
        assertEquals("started", new MigrationJournal(b.stateDir()).read().orElseThrow().state(), "and the journal");
    }

    private static void assertSaysNoBackup(JsonNode report, String cause) {
        JsonNode f = finding(report, cause);
        assertTrue(each(f.path("evidence"))
                        .anyMatch(e -> e.path("fact").asText().equals("backup.count") && e.path("value").asLong(-1) == 0
                                && e.path("note").asText().equals("no backup to fall back on")),
                cause + " lists backup.count = 0 as evidence: " + f);
        assertTrue(each(f.path("remediations"))
                .anyMatch(x -> x.path("summary").asText().contains("no backup to fall back on")), cause + " says it in its text: " + f);
    }

    @Test
    void damaged_sqlite_without_a_backup_says_there_is_none() throws Exception {
        BrokenStates.corruptPages(home);
        assertSaysNoBackup(diagnose(new Cli(home)), "sqlite.corrupt");
    }

    @Test
    void not_a_database_without_a_backup_says_there_is_none_and_a_backup_is_named_when_there_is_one() throws Exception {
        BrokenStates.Built b = BrokenStates.notADatabase(home);
        assertSaysNoBackup(diagnose(new Cli(home)), "sqlite.not-a-database");

        FixTesting.writeBackup(b, BrokenStates.sessions(home, 3, 1));
        JsonNode f = finding(diagnose(new Cli(home)), "sqlite.not-a-database");
        assertTrue(f.toString().contains("newest backup to fall back on: ") && f.toString().contains("(3 sessions)"), f.toString());
        assertFalse(f.toString().contains("no backup to fall back on"), f.toString());
    }

    @Test
    void truncated_store_beside_a_fuller_complete_temp_file_is_salvaged_from_the_temp_file() throws Exception {
        BrokenStates.Built b = BrokenStates.healthyJson(home, 6);
        List<SessionRecord> all = records(home);
        byte[] data = Files.readAllBytes(b.store());
        Path temp = b.store().resolveSibling(AtomicFiles.TEMP_PREFIX + b.store().getFileName() + "-0c0ffe");
        Files.write(temp, data);
        int cut = new String(data, StandardCharsets.UTF_8).indexOf("\"session\"", 40);
        Files.write(b.store(), java.util.Arrays.copyOf(data, cut)); // one record survives in the store itself
        assertEquals(1, JsonSalvage.read(Files.readAllBytes(b.store())).records().size());

        Cli.Result r = fixWithConsent(new Cli(home));
        JsonNode fix = json(r);
        assertTrue(FixTesting.applied(fix, "applied").stream().anyMatch(a -> a.path("remediation").asText().equals("json.salvage")
                && a.path("detail").asText().contains("from the complete temp file " + temp)), r.toString());
        assertEquals(byName(all), byName(records(home)), "every session of the temp file, unchanged");
    }
}
