package dev.minsky.doctor.fix;

import static dev.minsky.doctor.fix.FixTesting.applied;
import static dev.minsky.doctor.fix.FixTesting.causes;
import static dev.minsky.doctor.fix.FixTesting.fingerprint;
import static dev.minsky.doctor.fix.FixTesting.json;
import static dev.minsky.doctor.fix.FixTesting.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.AppContext;
import dev.minsky.config.ConfigService;
import dev.minsky.doctor.run.Doctor;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.DoctorOptions;
import dev.minsky.doctor.model.AppliedFix;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.Remediation;
import dev.minsky.doctor.model.Safety;
import dev.minsky.doctor.model.Severity;
import dev.minsky.log.MinskyLog;
import dev.minsky.model.SessionRecord;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What --fix must never do: change anything on a dry run, kill a lock holder, write to a read-only disk, act without consent. */
class FixSafetyTest {
    @TempDir
    Path home;

    private Map<String, String> everything() {
        return fingerprint(home.resolve(".local/state"), home.resolve(".config"));
    }

    private void assertDryRunTouchesNothing(String... extra) {
        Map<String, String> before = everything();
        String[] args = new String[2 + extra.length];
        args[0] = "doctor";
        args[1] = "--dry-run";
        System.arraycopy(extra, 0, args, 2, extra.length);
        Cli.Result r = new Cli(home).run(args);
        assertEquals(before, everything(), "--dry-run changed something: " + r);
        assertFalse(Files.exists(Journal.root(home.resolve(".local/state/minsky"))), "no journal on a dry run");
    }

    @Test
    void dry_run_changes_no_byte_on_a_truncated_json_store_and_prints_the_exact_changes() throws Exception {
        BrokenStates.truncatedJson(home, 5);
        assertDryRunTouchesNothing("--fix", "--yes");
        assertDryRunTouchesNothing("--json");
        Cli.Result r = new Cli(home).run("doctor", "--fix", "--dry-run");
        assertTrue(r.out().contains("dry run: nothing will be changed"), r.toString());
        assertTrue(r.out().contains("keep the damaged file as"), r.toString());
        assertTrue(r.out().contains("with the 4 sessions of the salvage"), r.toString());
    }

    @Test
    void dry_run_changes_no_byte_on_a_stale_wal_and_shows_deleting_it_only_as_a_warned_manual_step() throws Exception {
        BrokenStates.staleWal(home, 3);
        assertDryRunTouchesNothing("--fix", "--yes");
        Cli.Result r = new Cli(home).run("doctor", "--fix", "--dry-run", "--yes");
        assertTrue(r.out().contains("PRAGMA wal_checkpoint(TRUNCATE)"), r.toString());
        assertTrue(r.out().contains("[destructive] sqlite.delete-wal"), r.toString());
        assertTrue(r.out().contains("never applied by minsky"), r.toString());
        assertTrue(r.out().contains("WARNING"), r.toString());
    }

    @Test
    void dry_run_changes_no_byte_on_a_misconfigured_base_dir_and_shows_the_config_line() throws Exception {
        BrokenStates.misconfiguredBaseDir(home, "json");
        assertDryRunTouchesNothing("--fix", "--yes");
        Cli.Result r = new Cli(home).run("doctor", "--fix", "--dry-run", "--yes");
        assertTrue(r.out().contains("sessiondb.baseDir: " + home.resolve(".local/state/minsky")), r.toString());
    }

    @Test
    void dry_run_changes_no_byte_when_the_store_is_missing_or_workspaces_are_orphaned() throws Exception {
        BrokenStates.deletedStore(home, "sqlite");
        assertDryRunTouchesNothing("--fix", "--yes");
        Files.createDirectories(home.resolve(".local/state/minsky/sessions/orphan-x"));
        assertDryRunTouchesNothing("--fix", "--yes", "--json");
    }

    @Test
    void fix_on_a_healthy_store_changes_nothing_and_leaves_no_journal() throws Exception {
        BrokenStates.healthySqlite(home, 3);
        Map<String, String> before = everything();
        Cli.Result r = new Cli(home).run("doctor", "--fix", "--yes");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Nothing to fix"), r.toString());
        assertEquals(before, everything());
    }

    @Test
    void a_second_fix_waits_for_the_first_and_then_says_another_one_is_running() throws Exception {
        BrokenStates.Built b = BrokenStates.truncatedJson(home, 4);
        byte[] damaged = Files.readAllBytes(b.store());
        Path state = home.resolve(".local/state/minsky");
        try (var held = Journal.lock(state)) {
            Cli.Result r = new Cli(home).run("doctor", "--fix", "--yes", "--json");
            JsonNode fix = json(r);
            assertTrue(applied(fix, "applied").isEmpty(), r.toString());
            assertTrue(r.out().contains("another 'minsky doctor --fix' or '--undo' is running"), r.toString());
            assertTrue(java.util.Arrays.equals(damaged, Files.readAllBytes(b.store())));
            try (var s = Files.list(Journal.root(state))) {
                assertEquals(0, s.count(), "the journal made before the lock was removed again");
            }
        }
    }

    @Test
    void dry_run_json_reports_every_fix_as_skipped_and_no_after() throws Exception {
        BrokenStates.truncatedJson(home, 3);
        JsonNode r = json(new Cli(home).run("doctor", "--fix", "--dry-run", "--json"));
        assertFalse(r.path("applied").isEmpty());
        r.path("applied").forEach(a -> assertEquals("skipped", a.path("result").asText()));
        assertTrue(r.path("after").isMissingNode());
    }

    @Test
    void a_process_holding_the_sqlite_lock_is_still_alive_afterwards_and_named() throws Exception {
        try (BrokenStates.Built b = BrokenStates.liveWriteLock(home)) {
            Cli.Result r = new Cli(home).run("doctor", "--fix", "--yes", "--json");
            JsonNode fix = json(r);
            assertTrue(causes(fix).contains("sqlite.locked-by-process"), r.toString());
            assertTrue(ProcessHandle.of(b.holderPid()).map(ProcessHandle::isAlive).orElse(false), "the holder was not killed");
            assertTrue(r.out().contains(Long.toString(b.holderPid())), "the holder is named: " + r);
            assertTrue(causes(fix.path("after")).contains("sqlite.locked-by-process"));
        }
    }

    private static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        }
    }

    /** A small real tmpfs mounted over the state directory for one test; closing unmounts it. */
    private record StateTmpfs(Path dir) implements AutoCloseable {
        static StateTmpfs mount(Path home, String size) throws Exception {
            Path state = home.resolve(".local/state/minsky");
            Files.createDirectories(state);
            sh("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", state.toString());
            return new StateTmpfs(state);
        }

        @Override
        public void close() throws Exception {
            sh("umount", dir.toString());
        }
    }

    @Test
    void nothing_changes_on_a_read_only_filesystem() throws Exception {
        try (StateTmpfs state = StateTmpfs.mount(home, "8m")) {
            BrokenStates.truncatedJson(home, 5);
            sh("mount", "-o", "remount,ro", state.dir().toString());
            Map<String, String> before = everything();
            Cli.Result r = new Cli(home).run("doctor", "--fix", "--yes", "--json");
            JsonNode fix = json(r);
            assertTrue(applied(fix, "applied").isEmpty(), r.toString());
            assertEquals(before, everything(), "a read-only filesystem was left exactly as it was");
            assertEquals(1, r.code());
        }
    }

    @Test
    void nothing_changes_when_the_disk_is_full() throws Exception {
        try (StateTmpfs state = StateTmpfs.mount(home, "1m")) {
            BrokenStates.Built b = BrokenStates.truncatedJson(home, 5);
            try (var out = Files.newOutputStream(state.dir().resolve("filler.bin"))) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                }
            } catch (java.io.IOException full) {
                // ENOSPC: the disk is full now
            }
            byte[] damaged = Files.readAllBytes(b.store());
            Map<String, String> before = everything();
            Cli.Result r = new Cli(home).run("doctor", "--fix", "--yes", "--json");
            JsonNode fix = json(r);
            assertTrue(applied(fix, "applied").isEmpty(), r.toString());
            assertFalse(applied(fix, "failed").isEmpty(), r.toString());
            assertTrue(java.util.Arrays.equals(damaged, Files.readAllBytes(b.store())));
            Map<String, String> after = everything();
            before.keySet().removeIf(k -> k.contains("/logs"));
            after.keySet().removeIf(k -> k.contains("/logs"));
            assertEquals(before, after, "a full disk was left as it was (no half-written journal either)");
        }
    }

    @Test
    void reversible_fixes_are_skipped_without_yes_when_no_one_can_be_asked() throws Exception {
        BrokenStates.Built b = BrokenStates.truncatedJson(home, 5);
        byte[] damaged = Files.readAllBytes(b.store());
        Cli.Result r = new Cli(home).run("doctor", "--fix");
        assertTrue(r.out().contains("minsky doctor --fix --yes"), r.toString());
        assertTrue(java.util.Arrays.equals(damaged, Files.readAllBytes(b.store())), "the store was not touched");
        assertEquals(1, r.code());
    }

    @Test
    void sessions_are_never_removed_by_a_fix_that_only_surfaced_after_other_fixes() throws Exception {
        // the writer's sessions are years old: once the WAL is checkpointed, 150 stale sessions show up
        BrokenStates.staleWal(home, 150, "2024-01-01T00:00:00.000Z");
        Cli.Result r = new Cli(home).run("doctor", "--fix", "--yes", "--json");
        JsonNode fix = json(r);
        assertTrue(causes(fix.path("after")).contains("perf.stale-sessions"), r.toString());
        assertTrue(applied(fix, "skipped").stream().anyMatch(a -> a.path("remediation").asText().equals("sessions.clean-old")
                && a.path("detail").asText().contains("not part of the plan shown first")), r.toString());
        assertEquals(153, records(home).size(), "every committed session is still there");
    }

    // ------------------------------------------------------------ the fixer's own checks, with hand-made findings

    private DoctorEnv env(boolean interactive, String stdin, ByteArrayOutputStream out) {
        AppContext ctx = new AppContext(Map.of("HOME", home.toString()), home, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), interactive, Clock.systemUTC());
        ConfigService config = ConfigService.load(ctx);
        return new DoctorEnv(ctx, config, config.settingsLenient(), MinskyLog.forContext(ctx));
    }

    private Path marker() {
        return home.resolve(".local/state/minsky/marker");
    }

    /** A real check: the finding is there exactly while the marker file is missing. */
    private Supplier<DoctorReport> diagnosis(String... actions) {
        return () -> {
            List<Finding> findings = Files.exists(marker()) ? List.of()
                    : List.of(new Finding("test.marker-missing", null, Severity.ERROR, 0.9, "the marker file is missing", "store", List.of(),
                    java.util.Arrays.stream(actions).map(a -> new Remediation(a, a.equals("test.wrong-file") ? Safety.SAFE : Safety.REVERSIBLE,
                            "try " + a, null, null)).toList()));
            return new DoctorReport(1, "json", null, findings.isEmpty(), findings, List.of(), List.of(), null, null);
        };
    }

    @Test
    void a_fix_that_leaves_its_cause_is_rolled_back_from_the_journal() throws Exception {
        BrokenStates.healthyJson(home, 2);
        Supplier<DoctorReport> diagnose = diagnosis("test.wrong-file");
        DoctorReport r = Fixer.fix(env(false, "", new ByteArrayOutputStream()), diagnose.get(),
                new Fixer.Options(false, true, true), diagnose);
        AppliedFix a = r.applied().get(0);
        assertEquals("rolled-back", a.result(), a.toString());
        assertFalse(Files.exists(home.resolve(".local/state/minsky/wrong")), "the file it wrote was removed again");
        assertFalse(r.after().healthy());
    }

    @Test
    void a_fix_that_loses_a_session_it_promised_to_keep_is_rolled_back() throws Exception {
        BrokenStates.healthyJson(home, 3);
        List<SessionRecord> before = records(home);
        Supplier<DoctorReport> diagnose = diagnosis("test.loses-a-session");
        DoctorReport r = Fixer.fix(env(false, "", new ByteArrayOutputStream()), diagnose.get(),
                new Fixer.Options(false, true, true), diagnose);
        AppliedFix a = r.applied().get(0);
        assertEquals("rolled-back", a.result(), a.toString());
        assertTrue(a.detail().contains("2 sessions afterwards, 3 expected"), a.detail());
        assertEquals(before, records(home));
        assertFalse(Files.exists(marker()));
        assertTrue(a.backup() != null && a.backup().endsWith(".json"), "a verified backup was taken first: " + a);
    }

    @Test
    void an_action_that_says_it_is_destructive_never_runs_even_when_a_playbook_calls_it_safe() throws Exception {
        BrokenStates.healthyJson(home, 1);
        Supplier<DoctorReport> diagnose = () -> {
            List<Finding> f = Files.exists(marker()) ? List.of() : List.of(new Finding("test.marker-missing", null, Severity.ERROR, 0.9,
                    "no marker", "store", List.of(), List.of(new Remediation("test.destructive", Safety.SAFE, "looks safe", "touch marker", null))));
            return new DoctorReport(1, "json", null, f.isEmpty(), f, List.of(), List.of(), null, null);
        };
        DoctorReport r = Fixer.fix(env(false, "", new ByteArrayOutputStream()), diagnose.get(), new Fixer.Options(false, true, true), diagnose);
        assertEquals("skipped", r.applied().get(0).result(), r.applied().toString());
        assertTrue(r.applied().get(0).detail().contains("destructive"), r.applied().toString());
        assertFalse(Files.exists(marker()));
    }

    @Test
    void an_interactive_user_is_asked_and_no_means_no() throws Exception {
        BrokenStates.healthyJson(home, 1);
        Supplier<DoctorReport> diagnose = diagnosis("test.creates-marker");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DoctorReport r = Fixer.fix(env(true, "n\n", out), diagnose.get(), new Fixer.Options(false, false, false), diagnose);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("[y/N]"), out.toString(StandardCharsets.UTF_8));
        assertEquals("skipped", r.applied().get(0).result());
        assertFalse(Files.exists(marker()));

        out.reset();
        r = Fixer.fix(env(true, "y\n", out), diagnose.get(), new Fixer.Options(false, false, false), diagnose);
        assertEquals("applied", r.applied().get(0).result(), r.applied().toString());
        assertTrue(Files.exists(marker()));
        assertTrue(r.after().healthy());

        String undone = Fixer.undo(env(false, "", new ByteArrayOutputStream()), null);
        assertTrue(undone.contains("test.creates-marker"), undone);
        assertFalse(Files.exists(marker()), "--undo removed what the fix created");
    }

    @Test
    void undo_refuses_when_sessions_were_added_since_the_fix() throws Exception {
        BrokenStates.truncatedJson(home, 5);
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("doctor", "--fix", "--yes").code());
        assertEquals(0, cli.run("session", "start", "added-later", "--repo", "https://example.com/x.git").code());
        Map<String, String> before = everything();
        Cli.Result u = cli.run("doctor", "--undo");
        assertEquals(2, u.code(), u.toString());
        assertTrue(u.err().contains("added-later"), u.toString());
        Map<String, String> after = everything();
        // the refusal itself goes to minsky's log, like every error; nothing else may change
        before.keySet().removeIf(k -> k.endsWith("minsky.log"));
        after.keySet().removeIf(k -> k.endsWith("minsky.log"));
        assertEquals(before, after);
    }

    @Test
    void undo_without_any_fix_says_so() {
        Cli.Result u = new Cli(home).run("doctor", "--undo");
        assertEquals(2, u.code());
        assertTrue(u.err().contains("no fix to undo"), u.toString());
    }
}
