package dev.minsky.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.model.SessionJson;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that could not check some area never says "No issues found" and never exits 0: it
 * reports {@code doctor.incomplete} naming the areas; {@code --timeout} gives the probes more time.
 */
class DoctorCompletenessTest {
    @TempDir
    Path home;

    static JsonNode finding(JsonNode doc, String cause) {
        for (JsonNode f : doc.get("findings")) {
            if (f.get("cause").asText().equals(cause)) {
                return f;
            }
        }
        return null;
    }

    static Object fact(JsonNode doc, String id) {
        for (JsonNode f : doc.get("facts")) {
            if (f.get("id").asText().equals(id)) {
                JsonNode v = f.get("value");
                return v.isNumber() ? (Object) v.asLong() : v.asText();
            }
        }
        return null;
    }

    static List<String> unfinishedProbes(JsonNode doc) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : doc.get("probes")) {
            String status = p.get("status").asText();
            if (status.equals("timeout") || status.equals("failed")) {
                out.add(p.get("id").asText() + " " + status + " " + p.path("detail").asText());
            }
        }
        return out;
    }

    @Test
    void a_run_cut_short_by_its_timeout_reports_doctor_incomplete_and_exits_1() throws Exception {
        BrokenStates.healthySqlite(home, 5);
        Cli.Result r = new Cli(home).run("doctor", "--json", "--timeout", "1ms");
        assertEquals(1, r.code(), r.toString());
        JsonNode doc = SessionJson.mapper().readTree(r.out());
        assertFalse(doc.get("healthy").asBoolean(), r.out());
        JsonNode f = finding(doc, "doctor.incomplete");
        assertTrue(f != null, r.out());
        assertEquals("warning", f.get("severity").asText());
        assertEquals("doctor", f.get("area").asText());
        String areas = (String) fact(doc, "doctor.incomplete.areas");
        assertTrue(areas != null && areas.contains("sessions") && areas.contains("backup"), areas);
        String summary = f.get("remediations").get(0).get("summary").asText();
        assertTrue(summary.contains(areas) && summary.contains("store.sessions"), summary);
        assertTrue(f.get("remediations").get(0).get("command").asText().contains("--timeout"), f.toString());
        assertEquals(1L, fact(doc, "doctor.deadline.millis"));
    }

    @Test
    void the_human_view_of_an_incomplete_run_never_says_no_issues_found() throws Exception {
        BrokenStates.healthySqlite(home, 5);
        Cli.Result r = new Cli(home).run("doctor", "--timeout", "1ms");
        assertEquals(1, r.code(), r.toString());
        assertFalse(r.out().contains("No issues found"), r.out());
        assertTrue(r.out().contains("not checked"), r.out());
        assertTrue(r.out().contains("doctor.incomplete"), r.out());
        assertTrue(r.out().contains("minsky doctor --timeout"), r.out());
    }

    @Test
    void fix_diagnoses_again_and_an_after_run_cut_short_is_still_incomplete() throws Exception {
        BrokenStates.healthySqlite(home, 5);
        Cli.Result r = new Cli(home).run("doctor", "--fix", "--json", "--timeout", "1ms");
        assertEquals(1, r.code(), r.toString());
        JsonNode doc = SessionJson.mapper().readTree(r.out());
        JsonNode after = doc.get("after");
        assertTrue(after != null && !after.isNull(), r.out());
        assertFalse(after.get("healthy").asBoolean(), r.out());
        assertTrue(finding(after, "doctor.incomplete") != null, r.out());
    }

    @Test
    void a_complete_run_on_a_healthy_store_has_no_incomplete_finding_and_the_timeout_is_recorded() throws Exception {
        BrokenStates.healthySqlite(home, 5);
        Cli.Result r = new Cli(home).run("doctor", "--json", "--timeout", "30s");
        assertEquals(0, r.code(), r.toString());
        JsonNode doc = SessionJson.mapper().readTree(r.out());
        assertTrue(doc.get("healthy").asBoolean(), r.out());
        assertEquals(null, finding(doc, "doctor.incomplete"));
        assertEquals(0L, fact(doc, "doctor.incomplete.count"));
        assertEquals(30_000L, fact(doc, "doctor.deadline.millis"));
        assertEquals(List.of(), unfinishedProbes(doc));
    }

    /**
     * 200,000 real rows (one transaction of batched inserts): every record is counted by age and
     * its workspace checked, within the default deadline. Half are 100 days old; none but the
     * first three has a workspace; two workspace directories have no record.
     */
    @Test
    void a_store_of_200000_sessions_is_checked_in_every_area_within_the_default_deadline() throws Exception {
        BrokenStates.Built b = BrokenStates.healthySqlite(home, 3);
        Path workspaces = b.stateDir().resolve("sessions");
        java.time.Instant now = java.time.Instant.now();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + b.store())) {
            c.setAutoCommit(false);
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO sessions (session, repoName, repoUrl, createdAt,"
                    + " taskId, branch, repoPath) VALUES (?, 'minsky', 'https://example.com/minsky.git', ?, ?, ?, ?)")) {
                for (int i = 0; i < 200_000; i++) {
                    String name = String.format("big-%06d", i);
                    ps.setString(1, name);
                    ps.setString(2, dev.minsky.model.Timestamps.iso(now.minus(java.time.Duration.ofDays(i % 2 == 0 ? 100 : 1))
                            .plusSeconds(i % 1000)));
                    ps.setString(3, "md#" + i);
                    ps.setString(4, name);
                    ps.setString(5, workspaces.resolve(name).toString());
                    ps.addBatch();
                    if (i % 10_000 == 9_999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        }
        java.nio.file.Files.createDirectories(workspaces.resolve("stray-a"));
        java.nio.file.Files.createDirectories(workspaces.resolve("stray-b"));

        Cli.Result r = new Cli(home).run("doctor", "--json");
        JsonNode doc = SessionJson.mapper().readTree(r.out());
        assertEquals(List.of(), unfinishedProbes(doc), r.out());
        assertEquals(0L, fact(doc, "doctor.incomplete.count"));
        assertEquals(null, finding(doc, "doctor.incomplete"));
        assertEquals(200_003L, fact(doc, "sessions.count"));
        assertEquals(100_000L, fact(doc, "sessions.olderThan90d"));
        assertEquals(100_000L, fact(doc, "sessions.olderThan7d"));
        assertEquals(100L, fact(doc, "sessions.oldestAgeDays"));
        assertEquals(200_000L, fact(doc, "workspaces.missing"));
        assertEquals("big-000000,big-000001", ((String) fact(doc, "workspaces.missing.names")).substring(0, 21));
        assertEquals(2L, fact(doc, "workspaces.orphaned"));
        assertEquals("stray-a,stray-b", fact(doc, "workspaces.orphaned.names"));
        assertEquals(1, r.code(), "the missing workspaces are findings: " + r);
    }

    @Test
    void a_bad_timeout_is_bad_input_with_exit_2_and_no_stack_trace() throws Exception {
        for (String bad : List.of("abc", "0", "0s", "-5s", "2h", "61m", "1.5s", "")) {
            Cli.Result r = new Cli(home).run("doctor", "--timeout", bad);
            assertEquals(2, r.code(), bad + ": " + r);
            assertTrue(r.err().contains("--timeout"), bad + ": " + r.err());
            assertTrue(r.err().contains("e.g. --timeout 30s"), bad + ": " + r.err());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), bad + ": " + r.err());
        }
    }

    @Test
    void timeout_accepts_milliseconds_seconds_minutes_and_bare_seconds() {
        assertEquals(java.time.Duration.ofMillis(500), DoctorOptions.parseTimeout("500ms"));
        assertEquals(java.time.Duration.ofSeconds(30), DoctorOptions.parseTimeout("30s"));
        assertEquals(java.time.Duration.ofSeconds(30), DoctorOptions.parseTimeout("30"));
        assertEquals(java.time.Duration.ofMinutes(2), DoctorOptions.parseTimeout("2m"));
        assertEquals(java.time.Duration.ofHours(1), DoctorOptions.parseTimeout("60m"));
    }
}
