package dev.minsky.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the fields of {@code doctor --json} that scripts read ({@code ../shared/spec/product.md}):
 * each documented field is there, and no object carries a field that is neither documented nor
 * one of the extensions listed in docs/doctor-contract.md. A new field is added to both lists on
 * purpose; a helper method's name leaking into the document fails here.
 */
class DoctorJsonContractTest {
    @TempDir
    Path home;

    static final Set<String> REPORT = Set.of("schemaVersion", "backend", "store", "healthy", "findings", "probes");
    static final Set<String> REPORT_EXT = Set.of("facts", "applied", "after", "playbookErrors", "explain");
    static final Set<String> FINDING = Set.of("cause", "severity", "confidence", "title", "evidence", "remediations");
    static final Set<String> FINDING_EXT = Set.of("code", "area", "fixAfter");
    static final Set<String> EVIDENCE = Set.of("fact", "value", "supports");
    static final Set<String> EVIDENCE_EXT = Set.of("note", "weight");
    static final Set<String> REMEDIATION = Set.of("id", "safety", "summary");
    static final Set<String> REMEDIATION_EXT = Set.of("command", "warning");
    static final Set<String> PROBE = Set.of("id", "status", "millis");
    static final Set<String> PROBE_EXT = Set.of("detail");
    static final Set<String> FACT = Set.of("id", "value", "probe");
    static final Set<String> APPLIED = Set.of("cause", "remediation", "result");
    static final Set<String> APPLIED_EXT = Set.of("backup", "detail", "journalId");
    static final Set<String> EXPLAIN = Set.of("cause", "title", "source", "reported", "conditionsHeld", "prior", "threshold",
            "conditions", "evidence", "verdict");
    static final Set<String> EXPLAIN_EXT = Set.of("rank", "confidence");
    static final Set<String> EXPLAIN_CONDITION = Set.of("fact", "test", "present", "value", "held");
    static final Set<String> EXPLAIN_EVIDENCE = Set.of("fact", "test", "present", "value", "held", "supports", "weight", "counted");

    private static void fields(String what, JsonNode node, Set<String> required, Set<String> extensions) {
        Set<String> seen = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            seen.add(it.next());
        }
        assertTrue(seen.containsAll(required), what + " lacks documented fields: " + seen + " vs " + required);
        Set<String> unknown = new TreeSet<>(seen);
        unknown.removeAll(required);
        unknown.removeAll(extensions);
        assertTrue(unknown.isEmpty(), what + " carries undocumented fields " + unknown + ": " + node);
    }

    private static void report(JsonNode d) {
        fields("the report", d, REPORT, REPORT_EXT);
        assertEquals(1, d.path("schemaVersion").asInt());
        for (JsonNode f : d.path("findings")) {
            fields("a finding", f, FINDING, FINDING_EXT);
            f.path("evidence").forEach(e -> fields("evidence", e, EVIDENCE, EVIDENCE_EXT));
            f.path("remediations").forEach(r -> fields("a remediation", r, REMEDIATION, REMEDIATION_EXT));
        }
        d.path("probes").forEach(p -> fields("a probe run", p, PROBE, PROBE_EXT));
        d.path("facts").forEach(p -> fields("a fact", p, FACT, Set.of()));
    }

    @Test
    void a_healthy_report_has_exactly_the_documented_fields() throws Exception {
        BrokenStates.healthySqlite(home, 3);
        Cli.Result r = new Cli(home).run("doctor", "--json");
        assertEquals(0, r.code(), r.toString());
        JsonNode d = new ObjectMapper().readTree(r.out());
        report(d);
        assertTrue(d.path("healthy").asBoolean());
        assertTrue(d.path("facts").size() > 0, "the facts are in the document");
    }

    @Test
    void a_fix_report_and_its_after_have_exactly_the_documented_fields() throws Exception {
        BrokenStates.truncatedJson(home, 4);
        Cli.Result r = new Cli(home).run("doctor", "--fix", "--yes", "--json");
        JsonNode d = new ObjectMapper().readTree(r.out());
        report(d);
        assertFalse(d.path("findings").isEmpty(), r.out());
        assertFalse(d.path("applied").isEmpty(), r.out());
        d.path("applied").forEach(a -> fields("an applied fix", a, APPLIED, APPLIED_EXT));
        report(d.path("after"));
    }

    @Test
    void an_explained_report_has_exactly_the_documented_fields() throws Exception {
        BrokenStates.garbledJson(home, 4);
        Cli.Result r = new Cli(home).run("doctor", "--json", "--explain", "json.corrupt");
        JsonNode d = new ObjectMapper().readTree(r.out());
        report(d);
        JsonNode e = d.path("explain");
        fields("the explanation", e, EXPLAIN, EXPLAIN_EXT);
        e.path("conditions").forEach(c -> fields("an explained condition", c, EXPLAIN_CONDITION, Set.of()));
        e.path("evidence").forEach(c -> fields("explained evidence", c, EXPLAIN_EVIDENCE, Set.of("note")));
        assertTrue(e.path("reported").asBoolean(), e.toString());
        assertFalse(new ObjectMapper().readTree(new Cli(home).run("doctor", "--json").out()).has("explain"),
                "only with --explain");
    }
}
