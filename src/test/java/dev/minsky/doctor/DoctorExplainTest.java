package dev.minsky.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code minsky doctor --explain CAUSE} on real stores: a JSON store with garbage in it (the cause
 * is reported) and a healthy one (it is not), with the facts' values the conditions and evidence
 * were tested against.
 */
class DoctorExplainTest {
    @TempDir
    Path home;

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode item(JsonNode list, String fact) {
        for (JsonNode n : list) {
            if (n.path("fact").asText().equals(fact)) {
                return n;
            }
        }
        throw new AssertionError(fact + " not in " + list);
    }

    @Test
    void a_garbled_json_store_explains_why_json_corrupt_was_reported() throws Exception {
        BrokenStates.garbledJson(home, 5);
        Cli.Result r = new Cli(home).run("doctor", "--explain", "json.corrupt");
        assertEquals(1, r.code(), r.toString());
        String o = r.out();
        int why = o.indexOf("Why json.corrupt was reported");
        assertTrue(why > 0, "after the normal report: " + o);
        assertTrue(o.substring(0, why).contains("json.corrupt"), "the normal diagnosis comes first: " + o);
        String ex = o.substring(why);
        assertTrue(Pattern.compile("held\\s+config\\.backend equals json\\s+config\\.backend = \"json\"").matcher(ex).find(), ex);
        assertTrue(Pattern.compile("held\\s+json\\.parse\\.ok equals false\\s+json\\.parse\\.ok = false").matcher(ex).find(), ex);
        assertTrue(Pattern.compile("held\\s+supports 0\\.60\\s+json\\.binary equals true\\s+json\\.binary = true").matcher(ex).find(), ex);
        assertTrue(Pattern.compile("failed\\s+against\\s+0\\.80\\s+json\\.parse\\.endsMidDocument equals true\\s+"
                + "json\\.parse\\.endsMidDocument = false").matcher(ex).find(), ex);
        assertTrue(ex.contains("reported: every condition held and the confidence"), ex);

        JsonNode d = JSON.readTree(new Cli(home).run("doctor", "--json", "--explain", "json.corrupt").out());
        JsonNode e = d.path("explain");
        assertEquals("json.corrupt", e.path("cause").asText());
        assertTrue(e.path("reported").asBoolean(), e.toString());
        assertTrue(e.path("conditionsHeld").asBoolean());
        double reported = -1;
        for (JsonNode f : d.path("findings")) {
            if (f.path("cause").asText().equals("json.corrupt")) {
                reported = f.path("confidence").asDouble();
                assertEquals(e.path("rank").asInt(), indexOf(d.path("findings"), "json.corrupt") + 1);
            }
        }
        assertEquals(reported, e.path("confidence").asDouble(), "the confidence of the finding: " + e);
        JsonNode parseOk = item(e.path("conditions"), "json.parse.ok");
        assertFalse(parseOk.path("value").asBoolean());
        assertTrue(parseOk.path("present").asBoolean());
        assertTrue(parseOk.path("held").asBoolean());
        JsonNode binary = item(e.path("evidence"), "json.binary");
        assertTrue(binary.path("counted").asBoolean(), binary.toString());
        assertEquals(0.6, binary.path("weight").asDouble());
        // the facts the evidence reads are the run's facts
        for (JsonNode fact : d.path("facts")) {
            if (fact.path("id").asText().equals("json.binary")) {
                assertEquals(fact.path("value"), binary.path("value"));
            }
        }
    }

    static int indexOf(JsonNode findings, String cause) {
        for (int i = 0; i < findings.size(); i++) {
            if (findings.get(i).path("cause").asText().equals(cause)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void a_healthy_store_explains_why_a_cause_was_not_reported() throws Exception {
        BrokenStates.healthyJson(home, 3);
        Cli.Result r = new Cli(home).run("doctor", "--explain", "json.corrupt");
        assertEquals(0, r.code(), r.toString());
        String o = r.out();
        assertTrue(o.contains("Why json.corrupt was not reported"), o);
        assertTrue(Pattern.compile("failed\\s+json\\.parse\\.ok equals false\\s+json\\.parse\\.ok = true").matcher(o).find(), o);
        assertTrue(o.contains("not reported: the condition 'json.parse.ok equals false' did not hold (json.parse.ok = true)"), o);
        assertTrue(o.contains("evidence (not weighed: a condition failed):"), o);

        // a cause of another backend: its facts are absent, and that is shown
        Cli.Result s = new Cli(home).run("doctor", "--json", "--explain", "sqlite.stale-wal");
        assertEquals(0, s.code(), s.toString());
        JsonNode e = JSON.readTree(s.out()).path("explain");
        assertFalse(e.path("reported").asBoolean());
        assertFalse(e.has("confidence"), "no confidence when the conditions did not hold: " + e);
        JsonNode backend = item(e.path("conditions"), "config.backend");
        assertEquals("json", backend.path("value").asText());
        assertFalse(backend.path("held").asBoolean());
        JsonNode wal = item(e.path("conditions"), "sqlite.wal.exists");
        assertFalse(wal.path("present").asBoolean(), wal.toString());
        assertTrue(wal.path("value").isNull(), wal.toString());
        assertTrue(e.path("verdict").asText().contains("config.backend = \"json\""), e.toString());
    }

    @Test
    void a_cause_whose_conditions_hold_but_whose_confidence_is_too_low_says_so() throws Exception {
        BrokenStates.healthyJson(home, 3);
        Path kb = home.resolve("kb");
        java.nio.file.Files.createDirectories(kb);
        java.nio.file.Files.writeString(kb.resolve("weak.yaml"), """
                area: store
                causes:
                  - id: custom.weak
                    title: A weak sign
                    severity: warning
                    threshold: 0.9
                    when:
                      - {fact: config.backend, equals: json}
                    evidence:
                      - {fact: config.backend, equals: json, supports: 0.4}
                      - {fact: custom.never, absent: true, supports: 0.5}
                    remediations:
                      - action: backup.create
                        safety: safe
                        summary: back up
                """);
        Cli.Result r = new Cli(home).run("doctor", "--kb", kb.toString(), "--explain", "custom.weak");
        assertEquals(0, r.code(), r.toString());
        assertTrue(Pattern.compile("held\\s+supports 0\\.50\\s+custom\\.never absent\\s+custom\\.never: fact absent").matcher(r.out()).find(),
                r.out());
        assertTrue(r.out().contains("not reported: every condition held but the confidence 0.70 is below the threshold 0.90"), r.out());
    }

    @Test
    void an_unknown_cause_is_bad_input_with_suggestions() throws Exception {
        BrokenStates.healthyJson(home, 1);
        Cli.Result r = new Cli(home).run("doctor", "--explain", "json.corupt");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("unknown cause 'json.corupt'; did you mean json.corrupt"), r.err());
        assertEquals("", r.out());
    }

    /** The manifest of a jar built for this plugin API (minsky skips any other). */
    static java.util.jar.Manifest pluginManifest() {
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue(dev.minsky.plugin.api.PluginApi.MANIFEST_ATTRIBUTE, String.valueOf(dev.minsky.plugin.api.PluginApi.VERSION));
        return mf;
    }

    @Test
    void the_doctor_loads_a_plugin_jars_playbook_and_explains_its_cause() throws Exception {
        BrokenStates.healthyJson(home, 2);
        Path plugins = home.resolve(".config/minsky/plugins");
        java.nio.file.Files.createDirectories(plugins);
        Path jar = plugins.resolve("acme.jar");
        try (java.io.OutputStream o = java.nio.file.Files.newOutputStream(jar);
             java.util.jar.JarOutputStream j = new java.util.jar.JarOutputStream(o, pluginManifest())) {
            j.putNextEntry(new java.util.jar.JarEntry("META-INF/minsky/knowledge-base/acme.yaml"));
            j.write("""
                    area: store
                    causes:
                      - id: acme.json-in-use
                        title: The JSON backend is in use
                        severity: warning
                        when:
                          - {fact: config.backend, equals: json}
                        evidence:
                          - {fact: store.exists, equals: true, supports: 0.8}
                        remediations:
                          - action: backup.create
                            safety: safe
                            summary: back up
                    """.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            j.closeEntry();
        }
        Cli.Result r = new Cli(home).run("doctor", "--json", "--explain", "acme.json-in-use");
        assertEquals(1, r.code(), r.toString());
        JsonNode d = JSON.readTree(r.out());
        assertTrue(indexOf(d.path("findings"), "acme.json-in-use") >= 0, "the plugin's cause is diagnosed: " + r.out());
        JsonNode e = d.path("explain");
        assertTrue(e.path("reported").asBoolean(), e.toString());
        assertEquals(jar + "!/META-INF/minsky/knowledge-base/acme.yaml", e.path("source").asText());
        assertEquals(0.8, e.path("confidence").asDouble(), e.toString());
        Cli.Result show = new Cli(home).run("kb", "show", "acme.json-in-use");
        assertTrue(show.out().contains("defined in " + jar + "!/META-INF/minsky/knowledge-base/acme.yaml:3 (plugin:acme.jar)"), show.toString());
    }

    @Test
    void a_plugin_jar_that_cannot_be_read_is_named_and_the_doctor_still_runs() throws Exception {
        BrokenStates.healthyJson(home, 2);
        Path plugins = home.resolve(".config/minsky/plugins");
        java.nio.file.Files.createDirectories(plugins);
        Path jar = java.nio.file.Files.writeString(plugins.resolve("broken.jar"), "this is not a zip file");
        // the doctor names the jar it skips beside the plugins' other problems, and still diagnoses
        Cli.Result r = new Cli(home).run("doctor", "--json");
        JsonNode doc = JSON.readTree(r.out());
        assertTrue(r.out().contains("broken.jar") && r.out().contains("not a readable jar"), r.toString());
        assertTrue(doc.path("probes").size() > 5, "the built-in probes still ran: " + r.out());
        Cli.Result v = new Cli(home).run("kb", "validate");
        assertEquals(2, v.code(), v.toString());
        assertTrue(v.out().startsWith(jar + ": skipped: not a readable jar"), v.out());
    }
}
