package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minsky.testutil.Cli;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code minsky kb list|show|validate|test} on real playbook directories, run through the CLI's
 * in-process entry point: exit codes, the lines errors point at, and the fixtures' outcomes.
 */
class KbCommandTest {
    @TempDir
    Path home;
    @TempDir
    Path dir;

    static final ObjectMapper JSON = new ObjectMapper();

    /** A valid playbook with two fixtures that pass. */
    static final String GOOD = """
            area: store
            causes:
              - id: custom.thing
                title: A custom thing is wrong
                severity: warning
                after: [config.invalid]
                when:
                  - {fact: custom.flag, equals: true}
                evidence:
                  - {fact: custom.flag, equals: true, supports: 0.8, note: "the flag is up"}
                  - {fact: custom.count, greater: 10, supports: 0.3}
                  - {fact: custom.quiet, equals: true, against: 0.9}
                remediations:
                  - action: backup.create
                    safety: safe
                    summary: back up the store
            fixtures:
              - name: the flag is up
                facts: {custom.flag: true}
                expect: [custom.thing]
              - name: a quiet flag is nothing
                facts: {custom.flag: true, custom.quiet: true}
                expect: []
                absent: [custom.thing]
            """;

    Cli cli() {
        return new Cli(home);
    }

    Path write(Path d, String name, String text) throws IOException {
        Files.createDirectories(d);
        return Files.writeString(d.resolve(name), text);
    }

    static JsonNode json(Cli.Result r) throws IOException {
        return JSON.readTree(r.out());
    }

    // ---------------------------------------------------------------- list

    @Test
    void list_shows_every_cause_with_its_origin_and_source_in_aligned_columns() throws IOException {
        Path file = write(dir, "custom.yaml", GOOD);
        Cli.Result r = cli().run("kb", "list", "--kb", dir.toString());
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("ID "), r.out());
        int sev = lines.get(0).indexOf("SEVERITY");
        int origin = lines.get(0).indexOf("ORIGIN");
        String builtin = lines.stream().filter(l -> l.startsWith("sqlite.stale-wal ")).findFirst().orElseThrow();
        String mine = lines.stream().filter(l -> l.startsWith("custom.thing ")).findFirst().orElseThrow();
        assertEquals("error", builtin.substring(sev).split("\\s+")[0], builtin);
        assertEquals("warning", mine.substring(sev).split("\\s+")[0], mine);
        assertEquals(List.of("builtin", "jar:knowledge-base/sqlite.yaml"), List.of(builtin.substring(origin).split("\\s+")), builtin);
        assertEquals(List.of("user:" + dir, file.toString()), List.of(mine.substring(origin).split("\\s+")), mine);
        assertTrue(mine.contains(" store "), "its area: " + mine);
    }

    @Test
    void list_json_names_origin_source_and_line_of_user_and_plugin_causes() throws IOException {
        Path userKb = home.resolve(".config/minsky/knowledge-base");
        Path file = write(userKb, "custom.yaml", GOOD);
        Path plugins = home.resolve(".config/minsky/plugins");
        Files.createDirectories(plugins);
        Path jar = plugins.resolve("acme.jar");
        writeJar(jar, "META-INF/minsky/knowledge-base/acme.yaml", GOOD.replace("custom.", "acme."));
        JsonNode d = json(cli().run("kb", "list", "--json"));
        JsonNode mine = cause(d, "custom.thing");
        assertEquals("user:" + userKb, mine.path("origin").asText(), mine.toString());
        assertEquals(file.toString(), mine.path("source").asText());
        assertEquals(3, mine.path("line").asInt(), "the line of '- id: custom.thing'");
        assertEquals("warning", mine.path("severity").asText());
        assertEquals("store", mine.path("area").asText());
        JsonNode plugin = cause(d, "acme.thing");
        assertEquals("plugin:acme.jar", plugin.path("origin").asText(), plugin.toString());
        assertEquals(jar + "!/META-INF/minsky/knowledge-base/acme.yaml", plugin.path("source").asText());
        assertEquals("builtin", cause(d, "json.corrupt").path("origin").asText());
        assertEquals(0, d.path("playbookErrors").size(), d.toString());
    }

    static JsonNode cause(JsonNode list, String id) {
        for (JsonNode c : list.path("causes")) {
            if (c.path("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError(id + " not listed: " + list);
    }

    static void writeJar(Path jar, String entry, String text) throws IOException {
        // a plugin jar says which plugin API it was built for, or minsky skips it
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue(dev.minsky.plugin.api.PluginApi.MANIFEST_ATTRIBUTE, String.valueOf(dev.minsky.plugin.api.PluginApi.VERSION));
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, mf)) {
            j.putNextEntry(new JarEntry(entry));
            j.write(text.getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
    }

    @Test
    void list_warns_about_a_playbook_that_did_not_load_and_lists_the_rest() throws IOException {
        write(dir, "bad.yaml", GOOD.replace("severity: warning", "severity: fatal"));
        Cli.Result r = cli().run("kb", "list", "--kb", dir.toString());
        assertEquals(0, r.code(), r.toString());
        assertFalse(r.out().contains("custom.thing"), r.out());
        assertTrue(r.err().contains(dir.resolve("bad.yaml") + ":5: causes[0].severity: cause custom.thing: 'severity' must be"),
                r.err());
    }

    // ---------------------------------------------------------------- show

    @Test
    void show_gives_conditions_weights_remediations_and_fixtures() throws IOException {
        write(dir, "custom.yaml", GOOD);
        Cli.Result r = cli().run("kb", "show", "custom.thing", "--kb", dir.toString());
        assertEquals(0, r.code(), r.toString());
        String o = r.out();
        assertTrue(o.startsWith("custom.thing: A custom thing is wrong"), o);
        assertTrue(o.contains("defined in " + dir.resolve("custom.yaml") + ":3 (user:" + dir + ")"), o);
        assertTrue(o.contains("fixed after: config.invalid"), o);
        assertTrue(o.contains("  custom.flag equals true\n"), o);
        assertTrue(Pattern.compile("supports\\s+0\\.80\\s+custom\\.flag equals true\\s+the flag is up").matcher(o).find(), o);
        assertTrue(Pattern.compile("supports\\s+0\\.30\\s+custom\\.count greater 10\\b").matcher(o).find(), o);
        assertTrue(Pattern.compile("against\\s+0\\.90\\s+custom\\.quiet equals true").matcher(o).find(), o);
        assertTrue(o.contains("1. backup.create [safe] back up the store"), o);
        assertTrue(o.contains(": the flag is up: expect [custom.thing]"), o);
        assertTrue(o.contains(": a quiet flag is nothing: absent [custom.thing]"), o);
    }

    @Test
    void show_json_has_the_parts_of_the_cause() throws IOException {
        Cli.Result r = cli().run("kb", "show", "sqlite.stale-wal", "--json");
        assertEquals(0, r.code(), r.toString());
        JsonNode d = json(r);
        assertEquals("builtin", d.path("origin").asText());
        assertEquals("jar:knowledge-base/sqlite.yaml", d.path("source").asText());
        assertTrue(d.path("line").asInt() > 0, d.toString());
        assertEquals("config.backend equals sqlite", d.path("conditions").get(0).path("test").asText());
        JsonNode against = null;
        for (JsonNode e : d.path("evidence")) {
            if (!e.path("supports").asBoolean()) {
                against = e;
            }
        }
        assertEquals("sqlite.holders.count", against.path("fact").asText(), d.toString());
        assertEquals(0.9, against.path("weight").asDouble());
        assertEquals("sqlite.checkpoint-wal", d.path("remediations").get(0).path("action").asText());
        assertEquals("safe", d.path("remediations").get(0).path("safety").asText());
        assertTrue(d.path("fixtures").size() >= 2, d.toString());
    }

    @Test
    void show_of_an_unknown_cause_is_bad_input_with_the_nearest_ids() {
        Cli.Result r = cli().run("kb", "show", "sqlite.stale-wall");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("unknown cause 'sqlite.stale-wall'; did you mean sqlite.stale-wal"), r.err());
        assertEquals("", r.out());
    }

    // ---------------------------------------------------------------- validate

    @Test
    void validate_a_valid_directory_says_so_and_exits_0() throws IOException {
        write(dir, "custom.yaml", GOOD);
        Cli.Result r = cli().run("kb", "validate", dir.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("1 playbook, 1 cause, no errors\n", r.out());
    }

    @Test
    void validate_points_every_error_at_its_file_line_and_field_and_exits_2() throws IOException {
        // line 6 of each: the key the error is about
        Path colour = write(dir, "a-colour.yaml", GOOD.replace("severity: warning", "severity: warning\n    colour: red"));
        Path safety = write(dir, "b-safety.yaml", GOOD.replace("custom.", "b.").replace("safety: safe", "safety: harmless"));
        Path after = write(dir, "c-after.yaml", GOOD.replace("custom.", "c.").replace("[config.invalid]", "[config.nope]"));
        Path fixture = write(dir, "d-fixture.yaml", GOOD.replace("custom.", "d.").replace("expect: [d.thing]", "expect: [d.thnig]"));
        Path parse = write(dir, "e-parse.yaml", "area: store\ncauses: [\n");
        Cli.Result r = cli().run("kb", "validate", dir.toString());
        assertEquals(2, r.code(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains(colour + ":6: causes[0].colour: unknown field 'colour' (known: after, area, code, evidence, fixDoes, id,"
                + " prior, probes, remediations, severity, threshold, title, when, why)"), r.out());
        assertTrue(lines.contains(safety + ":15: causes[0].remediations[0].safety: unknown safety class 'harmless'"
                + " (one of safe, reversible, destructive, manual)"), r.out());
        assertTrue(lines.contains(after + ":6: causes[0].after: cause c.thing: 'after' names unknown cause config.nope"), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(fixture + ":20: fixtures[0].expect[0]: fixture 'the flag is up'"
                + " names unknown cause 'd.thnig' (did you mean d.thing")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(parse + ":")), r.out());
        assertEquals("5 playbooks, 1 cause, 5 errors", lines.get(lines.size() - 1), r.out());
    }

    @Test
    void validate_json_lists_the_errors_with_their_lines() throws IOException {
        Path bad = write(dir, "bad.yaml", GOOD.replace("summary: back up the store", "summary: \"\""));
        Cli.Result r = cli().run("kb", "validate", dir.toString(), "--json");
        assertEquals(2, r.code(), r.toString());
        JsonNode d = json(r);
        assertFalse(d.path("valid").asBoolean());
        JsonNode e = d.path("errors").get(0);
        assertEquals(bad.toString(), e.path("file").asText());
        assertEquals("causes[0].remediations[0].summary", e.path("field").asText(), e.toString());
        assertEquals(16, e.path("line").asInt(), e.toString());
        assertTrue(e.path("message").asText().contains("'summary' is required"), e.toString());
    }

    @Test
    void validate_without_a_directory_checks_the_installed_playbooks() throws IOException {
        Cli.Result ok = cli().run("kb", "validate");
        assertEquals(0, ok.code(), ok.toString());
        assertTrue(ok.out().matches("\\d+ playbooks, \\d+ causes, no errors\n"), ok.out());
        Path userKb = home.resolve(".config/minsky/knowledge-base");
        Path bad = write(userKb, "mine.yaml", GOOD.replace("id: custom.thing", "id: sqlite.stale-wal"));
        Cli.Result r = cli().run("kb", "validate");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.out().contains(bad + ":3: causes[0].id: cause sqlite.stale-wal is already defined in jar:knowledge-base/sqlite.yaml"),
                r.out());
    }

    @Test
    void validate_of_the_projects_own_knowledge_base_replaces_the_built_in_one() {
        Cli.Result r = cli().run("kb", "validate", Path.of("knowledge-base").toAbsolutePath().toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().endsWith(" causes, no errors\n"), r.out());
    }

    @Test
    void validate_of_a_missing_directory_is_bad_input() {
        Cli.Result r = cli().run("kb", "validate", dir.resolve("nope").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("no such directory"), r.err());
    }

    // ---------------------------------------------------------------- test

    @Test
    void test_runs_the_fixtures_and_counts_them() throws IOException {
        write(dir, "custom.yaml", GOOD);
        Cli.Result r = cli().run("kb", "test", dir.toString());
        assertEquals(0, r.code(), r.toString());
        Path file = dir.resolve("custom.yaml");
        assertEquals("PASS  " + file + ": the flag is up\nPASS  " + file + ": a quiet flag is nothing\n2 passed, 0 failed\n", r.out());
    }

    @Test
    void a_failing_fixture_is_named_with_what_was_ranked_and_exits_1() throws IOException {
        // the flag alone gives 0.8; a threshold of 0.9 drops the cause
        write(dir, "custom.yaml", GOOD.replace("severity: warning", "severity: warning\n    threshold: 0.9")
                .replace("facts: {custom.flag: true, custom.quiet: true}", "facts: {custom.flag: true, custom.count: 20}"));
        Cli.Result r = cli().run("kb", "test", dir.toString());
        assertEquals(1, r.code(), r.toString());
        Path file = dir.resolve("custom.yaml");
        assertTrue(r.out().contains("FAIL  " + file + ": the flag is up: expected ranking to start with [custom.thing], got nothing"),
                r.out());
        // 0.8 and 0.3 combine to 0.86: still below 0.9, so the second one (expecting nothing) passes
        assertTrue(r.out().contains("PASS  " + file + ": a quiet flag is nothing"), r.out());
        assertTrue(r.out().endsWith("1 passed, 1 failed\n"), r.out());
        JsonNode d = json(cli().run("kb", "test", dir.toString(), "--json"));
        assertEquals(1, d.path("failed").asInt());
        assertEquals(1, d.path("passed").asInt());
        assertFalse(d.path("fixtures").get(0).path("passed").asBoolean());
        assertTrue(d.path("fixtures").get(0).path("problems").get(0).asText().startsWith("expected ranking"), d.toString());
    }

    @Test
    void a_fixture_that_reports_an_absent_cause_fails() throws IOException {
        write(dir, "custom.yaml", GOOD.replace("against: 0.9", "against: 0.1"));
        Cli.Result r = cli().run("kb", "test", dir.toString(), "--json");
        assertEquals(1, r.code(), r.toString());
        JsonNode f = json(r).path("fixtures").get(1);
        assertEquals("a quiet flag is nothing", f.path("name").asText());
        assertTrue(f.path("problems").toString().contains("expected healthy, got custom.thing@0.72"), f.toString());
        assertTrue(f.path("problems").toString().contains("custom.thing should not be reported"), f.toString());
        assertEquals("custom.thing@0.72", f.path("ranked").get(0).asText());
    }

    @Test
    void test_of_an_invalid_playbook_exits_2() throws IOException {
        Path bad = write(dir, "bad.yaml", GOOD.replace("supports: 0.8", "supports: 1.8"));
        Cli.Result r = cli().run("kb", "test", dir.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.out().contains("INVALID  " + bad + ":10: causes[0].evidence[0].supports: the weight of evidence on 'custom.flag'"
                + " must be in (0, 1], was 1.8"), r.out());
        assertTrue(r.out().contains("0 passed, 0 failed; 1 playbook error"), r.out());
    }

    @Test
    void test_without_a_directory_runs_every_installed_fixture() {
        Cli.Result r = cli().run("kb", "test");
        assertEquals(0, r.code(), r.toString());
        Matcher m = Pattern.compile("(?m)^(\\d+) passed, 0 failed$").matcher(r.out());
        assertTrue(m.find(), r.out());
        long lines = r.out().lines().filter(l -> l.startsWith("PASS  jar:knowledge-base/")).count();
        assertEquals(Long.parseLong(m.group(1)), lines);
        assertTrue(lines > 50, "the built-in fixtures: " + lines);
    }

    // ---------------------------------------------------------------- help

    @Test
    void every_kb_command_has_help_with_examples() {
        for (String[] args : List.of(new String[] {"kb", "--help"}, new String[] {"kb", "list", "--help"},
                new String[] {"kb", "show", "--help"}, new String[] {"kb", "validate", "--help"},
                new String[] {"kb", "test", "--help"}, new String[] {"doctor", "--help"})) {
            Cli.Result r = cli().run(args);
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().contains("\nExamples:\n  minsky "), String.join(" ", args) + ": " + r.out());
        }
        assertTrue(cli().run("doctor", "--help").out().contains("--explain=CAUSE"));
    }
}
