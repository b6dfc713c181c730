package dev.minsky.doctor.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.minsky.AppContext;
import dev.minsky.config.ConfigService;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.DoctorOptions;
import dev.minsky.doctor.model.AppliedFix;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Evidence;
import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.PlaybookError;
import dev.minsky.doctor.model.ProbeRun;
import dev.minsky.doctor.model.Remediation;
import dev.minsky.doctor.model.Safety;
import dev.minsky.doctor.model.Severity;
import dev.minsky.doctor.run.Doctor;
import dev.minsky.log.MinskyLog;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReportJson} writes the {@code doctor --json} document byte for byte as the ObjectMapper
 * wrote the report records before it (issue 12), on reports of real diagnoses and on made-up ones
 * with every field null, empty or full.
 */
class ReportJsonTest {
    /** The mapper as SessionJson made it and the doctor used it: the reference, made here. */
    private static final ObjectMapper OLD = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @TempDir
    Path tmp;

    private static void assertSame(DoctorReport r) throws Exception {
        assertEquals(OLD.writeValueAsString(r), ReportJson.write(r));
    }

    private static final String ODD = "quote \" \\ ü 中文 \uD83D\uDE00 \u0001 \n\t </x>";

    private static Finding finding(int i) {
        List<Evidence> evidence = List.of(
                new Evidence("sqlite.wal.bytes", 32992L, true, 0.5),
                new Evidence("store.exists", true, false, 0.25, "a note " + ODD),
                new Evidence("store.path", ODD, true, 1.0 / 3),
                new Evidence("ratio", 0.1, true, 0),
                new Evidence("nan", Double.NaN, true, Double.POSITIVE_INFINITY, null),
                new Evidence("absent", null, false, 1e-9),
                new Evidence("int", 7, true, -0.0));
        List<Remediation> remediations = List.of(
                new Remediation("sqlite.checkpoint", Safety.SAFE, "Checkpoint " + ODD, "sqlite3 x 'PRAGMA wal_checkpoint'", null),
                new Remediation("sqlite.delete-wal", Safety.DESTRUCTIVE, "Delete", null, "drops committed work"),
                new Remediation("manual", Safety.MANUAL, null, null, null),
                new Remediation("rev", Safety.REVERSIBLE, "r", "c", "w"));
        return new Finding("cause." + i, i % 2 == 0 ? null : "SQLITE_BUSY", Severity.values()[i % 3], 0.1 * i + 0.05,
                "Title " + ODD, i % 3 == 0 ? null : "sqlite", i % 4 == 3 ? null : evidence.subList(0, i % evidence.size() + 1),
                i % 5 == 4 ? List.of() : remediations.subList(0, i % remediations.size() + 1),
                i % 2 == 0 ? List.of() : List.of("cause.a", "cause.b " + ODD));
    }

    private static DoctorReport made(int i, DoctorReport after) {
        List<Finding> findings = new ArrayList<>();
        for (int k = 0; k < i % 6; k++) {
            findings.add(finding(k + i));
        }
        List<ProbeRun> probes = List.of(new ProbeRun("config", "ok", 3, null), new ProbeRun("sqlite.holders", "failed", Long.MAX_VALUE, ODD),
                new ProbeRun("x", "timeout", 0, ""));
        List<Fact> facts = List.of(new Fact("a", 1L, "p"), new Fact("b", 2.5, "p"), new Fact("c", true, "q"), new Fact("d", ODD, "q"),
                new Fact("e", Long.MIN_VALUE, null), new Fact("f", 1e300, "p"), new Fact("g", 3, "p"), new Fact("h", 1.5f, "p"));
        List<AppliedFix> applied = List.of(new AppliedFix("sqlite.checkpoint", "sqlite.stale-wal", "applied", "/b/x.db", "done " + ODD, "j-1"),
                new AppliedFix("r", "c", "skipped", null, null, null));
        List<PlaybookError> errors = List.of(new PlaybookError("/kb/a.yaml", 3, "causes[0].severity", "bad " + ODD),
                new PlaybookError("/kb/b.yaml", 0, "", "x"), new PlaybookError(null, 0, null, null));
        return new DoctorReport(1, i % 7 == 6 ? null : "sqlite", i % 5 == 4 ? null : "/s/sessions " + ODD + ".db", i % 2 == 0,
                i % 8 == 7 ? null : findings, i % 9 == 8 ? null : probes.subList(0, i % 4), i % 3 == 2 ? null : facts.subList(0, i % 9),
                i % 4 == 1 ? applied.subList(0, i % 3) : null, after, i % 3 == 0 ? errors.subList(0, i % 4) : null);
    }

    @Test
    void made_up_reports_with_every_field_null_empty_or_full_are_written_as_the_mapper_wrote_them() throws Exception {
        for (int i = 0; i < 60; i++) {
            assertSame(made(i, null));
            assertSame(made(i, made(i + 1, null)));
        }
    }

    @Test
    void the_reports_of_real_diagnoses_are_written_as_the_mapper_wrote_them() throws Exception {
        List<BrokenStates.Builder> states = List.of(
                h -> BrokenStates.healthySqlite(h, 5),
                h -> BrokenStates.healthyJson(h, 3),
                h -> BrokenStates.truncatedJson(h, 4),
                h -> BrokenStates.garbledJson(h, 4),
                h -> BrokenStates.orphanedWorkspaces(h, "sqlite", 2),
                h -> BrokenStates.oldSessionsWithoutRecentBackup(h, "sqlite", 3, 30),
                h -> BrokenStates.deletedStore(h, "sqlite"),
                h -> BrokenStates.misconfiguredBaseDir(h, "json"));
        int unhealthy = 0;
        for (int i = 0; i < states.size(); i++) {
            Path home = Files.createDirectories(tmp.resolve("h" + i));
            try (BrokenStates.Built b = states.get(i).build(home)) {
                AppContext ctx = new Cli(home).context(System.out, System.err, "");
                ConfigService config = ConfigService.load(ctx);
                DoctorEnv env = new DoctorEnv(ctx, config, config.settingsLenient(), MinskyLog.forContext(ctx));
                DoctorReport r = Doctor.open(env, DoctorOptions.DEFAULT).diagnose();
                unhealthy += r.healthy() ? 0 : 1;
                assertSame(r);
            }
        }
        assertFalse(unhealthy < 4, "the broken states gave findings to compare");
    }
}
