package dev.minsky.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.AppContext;
import dev.minsky.config.ConfigService;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.ProbeRun;
import dev.minsky.doctor.model.Severity;
import dev.minsky.doctor.probe.ProbeRunner;
import dev.minsky.doctor.render.HumanReport;
import dev.minsky.doctor.run.Doctor;
import dev.minsky.log.MinskyLog;
import dev.minsky.model.SessionJson;
import dev.minsky.testutil.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doctor's document, its human view and the command around them. */
class DoctorCommandTest {
    @TempDir
    Path home;

    static final String BAD_PLAYBOOK = """
            area: store
            causes:
              - id: custom.broken
                title: Broken on purpose
                severity: catastrophic
                when: [{fact: config.valid, equals: true}]
                evidence: [{fact: config.valid, equals: true, supports: 0.9}]
                remediations: [{action: backup.create, safety: safe, summary: x}]
            """;

    DoctorEnv env(Cli cli) {
        AppContext ctx = cli.context(System.out, System.err, "");
        ConfigService config = ConfigService.load(ctx);
        return new DoctorEnv(ctx, config, config.settingsLenient(), MinskyLog.forContext(ctx));
    }

    static ProbeRunner.Results results(Object... kv) {
        List<Fact> facts = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            facts.add(new Fact((String) kv[i], kv[i + 1], "test"));
        }
        return new ProbeRunner.Results(facts, List.of(new ProbeRun("sqlite.files", "ok", 3, null),
                new ProbeRun("sqlite.holders", "failed", 12, "cannot read /proc")));
    }

    static final Object[] STALE = {"config.backend", "sqlite", "config.valid", true, "store.path", "/s/sessions.db",
            "store.exists", true, "sqlite.header.ok", true, "sqlite.wal.exists", true, "sqlite.wal.bytes", 32992L, "sqlite.wal.uncheckpointedFrames", 8L,
            "sqlite.holders.count", 0L, "sessions.olderThan7d", 0L};

    @Test
    void the_json_document_has_the_fields_of_product_md() throws Exception {
        Doctor d = Doctor.open(env(new Cli(home)), DoctorOptions.DEFAULT);
        DoctorReport r = d.report(results(STALE));
        JsonNode j = SessionJson.mapper().readTree(SessionJson.mapper().writeValueAsString(r));
        assertEquals(1, j.get("schemaVersion").asInt());
        assertEquals("sqlite", j.get("backend").asText());
        assertEquals("/s/sessions.db", j.get("store").asText());
        assertFalse(j.get("healthy").asBoolean());
        JsonNode f = j.get("findings").get(0);
        assertEquals("sqlite.stale-wal", f.get("cause").asText());
        assertEquals("SQLITE_BUSY", f.get("code").asText());
        assertEquals("error", f.get("severity").asText());
        assertTrue(f.get("confidence").asDouble() > 0.5 && f.get("confidence").asDouble() < 1);
        assertEquals("An unclean shutdown left WAL files behind", f.get("title").asText());
        JsonNode ev = f.get("evidence").get(0);
        assertTrue(ev.has("fact") && ev.has("value") && ev.has("supports"), ev.toString());
        JsonNode rem = f.get("remediations").get(0);
        assertEquals("sqlite.checkpoint-wal", rem.get("id").asText());
        assertEquals("safe", rem.get("safety").asText());
        assertTrue(rem.has("summary") && rem.has("command"), rem.toString());
        JsonNode p = j.get("probes").get(0);
        assertEquals("sqlite.files", p.get("id").asText());
        assertEquals("ok", p.get("status").asText());
        assertEquals(3, p.get("millis").asInt());
        assertFalse(j.has("playbookErrors"), "no errors, no field");
    }

    @Test
    void healthy_is_true_exactly_when_no_finding_is_an_error_or_a_warning() {
        Doctor d = Doctor.open(env(new Cli(home)), DoctorOptions.DEFAULT);
        // only an info finding (missing indexes on a fast store): still healthy
        DoctorReport info = d.report(results("config.backend", "sqlite", "sessions.count", 3L, "sqlite.table.sessions", true,
                "sqlite.index.taskId", false, "sqlite.journalMode", "wal"));
        assertFalse(info.findings().isEmpty());
        assertTrue(info.findings().stream().allMatch(f -> f.severity() == Severity.INFO));
        assertTrue(info.healthy());
        // a warning: not healthy
        DoctorReport warn = d.report(results("config.backend", "sqlite", "sessions.count", 3L, "sqlite.journalMode", "delete"));
        assertTrue(warn.findings().stream().anyMatch(f -> f.severity() == Severity.WARNING));
        assertFalse(warn.healthy());
        // nothing at all: healthy
        assertTrue(d.report(results("config.backend", "sqlite")).healthy());
    }

    @Test
    void an_invalid_user_playbook_is_reported_in_the_document_and_the_view_and_the_doctor_still_runs() throws Exception {
        Cli cli = new Cli(home);
        Path kb = home.resolve(".config/minsky/knowledge-base");
        Files.createDirectories(kb);
        Files.writeString(kb.resolve("mine.yaml"), BAD_PLAYBOOK);
        Doctor d = Doctor.open(env(cli), DoctorOptions.DEFAULT);
        DoctorReport r = d.report(results(STALE));
        assertEquals("sqlite.stale-wal", r.findings().get(0).cause(), "the built-in playbooks still ran");
        JsonNode j = SessionJson.mapper().readTree(SessionJson.mapper().writeValueAsString(r));
        JsonNode e = j.get("playbookErrors").get(0);
        assertEquals(kb.resolve("mine.yaml").toString(), e.get("file").asText());
        assertTrue(e.get("message").asText().contains("'severity' must be error, warning or info"), e.toString());
        assertTrue(e.get("line").asInt() > 0);
        String view = render(r, false, false);
        assertTrue(view.contains("Playbooks skipped because they do not validate"), view);
        assertTrue(view.contains("mine.yaml:"), view);
    }

    @Test
    void the_human_view_has_one_line_per_area_then_ranked_findings_with_fixes() {
        Doctor d = Doctor.open(env(new Cli(home)), DoctorOptions.DEFAULT);
        DoctorReport r = d.report(results(STALE));
        String view = render(r, false, false);
        assertTrue(view.contains("[✓] Configuration"), view);
        assertTrue(view.contains("[✗] SQLite store — 1 problem"), view);
        assertTrue(view.contains("[✓] Backups"), view);
        assertTrue(view.contains("✗ 1. An unclean shutdown left WAL files behind"), view);
        assertTrue(view.contains("$ rm /s/sessions.db-shm /s/sessions.db-wal"), view);
        assertTrue(view.contains("WARNING: DESTRUCTIVE: deleting the -wal file silently drops committed transactions"), view);
        assertFalse(view.contains("\u001b["), "no colour off a terminal");
        assertFalse(view.contains("Probes"), "probes only with --verbose");
        String verbose = render(r, false, true);
        assertTrue(verbose.contains("+ sqlite.holders.count = 0"), verbose);
        assertTrue(verbose.contains("sqlite.holders  failed"), verbose);
        assertTrue(render(r, true, false).contains("\u001b[31m"), "colour on a terminal");
    }

    static String render(DoctorReport r, boolean color, boolean verbose) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new HumanReport(new PrintStream(b, true, StandardCharsets.UTF_8), color, verbose).print(r);
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void help_lists_every_option() {
        Cli.Result r = new Cli(home).run("doctor", "--help");
        assertEquals(0, r.code(), r.toString());
        for (String o : List.of("--json", "--verbose", "--fix", "--dry-run", "--yes", "--undo", "--bundle", "--preview",
                "--include-data", "--kb")) {
            assertTrue(r.out().contains(o), o + " in " + r.out());
        }
        assertFalse(r.out().contains("--timings"), "hidden");
    }

    // ---- end to end through the CLI: these need the probes (branch probes) ----

    boolean probesBuilt(Cli cli) {
        try {
            ProbeRunner.run(env(cli), java.time.Duration.ofSeconds(5));
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    @Test
    void a_healthy_json_store_gives_exit_0_and_healthy_true() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
        assertEquals(0, cli.run("session", "start", "one", "--repo", "https://example.com/r.git").code());
        Assumptions.assumeTrue(probesBuilt(cli), "the probes have not landed on this branch yet");
        Cli.Result r = cli.run("doctor", "--json");
        JsonNode j = SessionJson.mapper().readTree(r.out());
        assertTrue(j.get("healthy").asBoolean(), r.toString());
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void a_deleted_json_store_is_a_finding_with_exit_1() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
        assertEquals(0, cli.run("session", "start", "one", "--repo", "https://example.com/r.git").code());
        Files.delete(cli.stateDir().resolve("session-db.json"));
        Assumptions.assumeTrue(probesBuilt(cli), "the probes have not landed on this branch yet");
        Cli.Result r = cli.run("doctor", "--json");
        assertEquals(1, r.code(), r.toString());
        JsonNode j = SessionJson.mapper().readTree(r.out());
        assertEquals("json.file-missing", j.get("findings").get(0).get("cause").asText(), r.out());
        Cli.Result human = cli.run("doctor");
        assertEquals(1, human.code());
        assertTrue(human.out().contains("[✗] JSON store"), human.out());
    }

    @Test
    void kb_adds_user_playbooks_and_a_bad_one_is_reported_not_fatal() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
        Path kb = home.resolve("kb");
        Files.createDirectories(kb);
        Files.writeString(kb.resolve("bad.yaml"), BAD_PLAYBOOK);
        Assumptions.assumeTrue(probesBuilt(cli), "the probes have not landed on this branch yet");
        Cli.Result r = cli.run("doctor", "--json", "--kb", kb.toString());
        JsonNode j = SessionJson.mapper().readTree(r.out());
        assertTrue(j.get("playbookErrors").get(0).get("file").asText().endsWith("bad.yaml"), r.out());
        assertTrue(Map.of(0, true, 1, true).containsKey(r.code()), r.toString());
    }
}
