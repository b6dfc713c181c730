package dev.minsky.doctor.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.doctor.engine.Engine;
import dev.minsky.doctor.engine.FixtureDef;
import dev.minsky.doctor.engine.Playbook;
import dev.minsky.doctor.engine.PlaybookLoader;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.Remediation;
import dev.minsky.doctor.render.HumanReport;
import dev.minsky.model.SessionJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every remediation of every fixture of every built-in playbook, rendered the three ways a person
 * reads it (the human report, {@code doctor --json}, the bundle's Markdown and HTML reports): no
 * placeholder is left unfilled, counts agree with their nouns, and no command points the config at
 * the very path the finding says is broken, or at minsky's default state path written out by hand.
 */
class RemediationTextTest {
    /** What the engine leaves for a fact it does not have, or a hand-written {@code <pid>}. */
    static final Pattern ANGLE = Pattern.compile("<[A-Za-z][A-Za-z0-9_.:-]*>");
    static final Pattern FACT_SHAPED = Pattern.compile("(?:<|&lt;)[a-z][A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]+)+(?:>|&gt;)");
    static final Pattern WRONG_PLURAL = Pattern.compile("(?<![\\d.,])1 (?:complete |old |valid )?(sessions|records|backups|days"
            + "|problems|errors|warnings|notes|files|processes|workspaces|connections|stores|descriptors)\\b");
    static final Pattern SET_PATH = Pattern.compile("config set sessiondb\\.(dbPath|baseDir) (\"[^\"]*\"|'[^']*'|\\S+)");

    static PlaybookLoader.Loaded loaded;
    static Engine engine;
    static Reports reports;

    @BeforeAll
    static void build() {
        loaded = PlaybookLoader.load(List.of());
        engine = Engine.build(loaded.causes());
        reports = new Reports(null);
    }

    @TestFactory
    Stream<DynamicTest> every_remediation_of_every_fixture_reads_right_in_every_rendering() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Playbook p : loaded.playbooks()) {
            for (FixtureDef f : p.fixtures()) {
                tests.add(DynamicTest.dynamicTest(p.source() + ": " + f.name(), () -> assertEquals(List.of(), problems(f.facts()))));
            }
        }
        return tests.stream();
    }

    @Test
    void the_checks_catch_each_kind_of_bad_text() {
        // the same checks, fed texts with each fault: a check that cannot fail proves nothing
        Map<String, Object> facts = Map.of("store.path", "/s/sessions.db", "fs.readonly", true, "fs.mountPoint", "/s");
        assertEquals(1, remediationProblems("x", new Remediation("a", null, "merge (<store.sessionCount> sessions)", null, null), facts).size());
        assertEquals(1, remediationProblems("x", new Remediation("a", null, "kill -TERM <pid>", null, null), facts).size());
        assertEquals(1, remediationProblems("x", new Remediation("a", null, "keep ${x.y}", null, null), facts).size());
        assertEquals(1, remediationProblems("x", new Remediation("a", null, "restore (1 sessions, 2 days old)", null, null), facts).size());
        assertEquals(1, remediationProblems("x", new Remediation("a", null, "s", "minsky config set sessiondb.dbPath /s/sessions.db", null),
                Map.of("store.path", "/s/sessions.db")).size());
        assertEquals(1, remediationProblems("x", new Remediation("a", null, "s", "minsky config set sessiondb.dbPath /s/other.db", null),
                facts).size(), "a path on the read-only mount");
        assertEquals(1, remediationProblems("x", new Remediation("a", null, "s",
                "minsky config set sessiondb.dbPath ~/.local/state/minsky/sessions.db", null), Map.of()).size());
        assertEquals(List.of(), remediationProblems("x", new Remediation("a", null, "restore (1 session, 11 sessions, 21 days)",
                "minsky config set sessiondb.dbPath /t/sessions.db", null), facts));
    }

    static List<String> problems(List<Fact> facts) throws Exception {
        Map<String, Object> values = new HashMap<>();
        facts.forEach(f -> values.put(f.id(), f.value()));
        List<Finding> findings = engine.diagnose(facts);
        List<String> out = new ArrayList<>();
        for (Finding f : findings) {
            for (Remediation r : f.remediations()) {
                out.addAll(remediationProblems(f.cause() + " → " + r.id(), r, values));
            }
        }
        DoctorReport report = new DoctorReport(1, String.valueOf(values.get("config.backend")), (String) values.get("store.path"),
                DoctorReport.healthy(findings), findings, List.of(), facts, null, null);

        ByteArrayOutputStream human = new ByteArrayOutputStream();
        new HumanReport(new PrintStream(human, true, StandardCharsets.UTF_8), false, true).print(report);
        out.addAll(documentProblems("human report", human.toString(StandardCharsets.UTF_8)));

        String json = SessionJson.mapper().writeValueAsString(report);
        JsonNode tree = SessionJson.mapper().readTree(json);
        for (JsonNode f : tree.path("findings")) {
            for (JsonNode r : f.path("remediations")) {
                Remediation parsed = new Remediation(r.path("id").asText(), null, r.path("summary").asText(null),
                        r.path("command").asText(null), r.path("warning").asText(null));
                out.addAll(remediationProblems("--json " + f.path("cause").asText() + " → " + parsed.id(), parsed, values));
            }
        }

        Map<String, Object> model = bundleModel(report);
        out.addAll(documentProblems("bundle report.md", reports.render("bundle/report.md.ftl", model)));
        out.addAll(documentProblems("bundle report.html", reports.render("bundle/report.html.ftl", model)));
        return out;
    }

    /** The checks on one remediation's texts, with the facts of the finding it belongs to. */
    static List<String> remediationProblems(String where, Remediation r, Map<String, Object> facts) {
        List<String> out = new ArrayList<>();
        for (String text : new String[] {r.summary(), r.command(), r.warning()}) {
            if (text == null) {
                continue;
            }
            if (text.contains("${")) {
                out.add(where + ": unfilled ${...} in: " + text);
            }
            Matcher a = ANGLE.matcher(text);
            if (a.find()) {
                out.add(where + ": unfilled " + a.group() + " in: " + text);
            }
            Matcher p = WRONG_PLURAL.matcher(text);
            if (p.find()) {
                out.add(where + ": wrong plural '" + p.group() + "' in: " + text);
            }
            if (text.contains("~/.local/state") || text.contains("~/.config/minsky")) {
                out.add(where + ": a hand-written default path (ignores XDG_STATE_HOME/XDG_CONFIG_HOME) in: " + text);
            }
            Matcher s = SET_PATH.matcher(text);
            while (s.find()) {
                String target = s.group(2).replaceAll("^[\"']|[\"']$", "");
                Object broken = facts.get("store.path");
                if (broken != null && (target.equals(broken) || target.equals("$(dirname " + broken + ")"))) {
                    out.add(where + ": points sessiondb." + s.group(1) + " at the broken path itself: " + text);
                }
                Object mount = facts.get("fs.mountPoint");
                if (Boolean.TRUE.equals(facts.get("fs.readonly")) && mount != null
                        && (mount.equals("/") || target.equals(mount) || target.startsWith(mount + "/"))) {
                    out.add(where + ": moves the store onto the read-only mount " + mount + ": " + text);
                }
            }
        }
        return out;
    }

    /** The checks on a whole rendered document (a person reads all of it, not only the fixes). */
    static List<String> documentProblems(String where, String text) {
        List<String> out = new ArrayList<>();
        if (text.contains("${")) {
            out.add(where + ": unfilled ${...}");
        }
        Matcher a = FACT_SHAPED.matcher(text);
        while (a.find()) {
            out.add(where + ": unfilled " + a.group());
        }
        Matcher p = WRONG_PLURAL.matcher(text);
        while (p.find()) {
            out.add(where + ": wrong plural '" + p.group() + "'");
        }
        return out;
    }

    /** The model the bundle's templates see, shaped as {@code Bundler} builds it (without the sanitizer). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> bundleModel(DoctorReport report) {
        ObjectNode tree = Bundler.JSON.valueToTree(report);
        JsonNode facts = tree.remove("facts");
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        ObjectNode meta = m.putObject("meta");
        meta.put("minskyVersion", "test").put("generatedAt", "2026-12-01T00:00:00Z").put("os", "Linux").put("java", "17")
                .put("host", "host-0123456789").put("user", "user-0123456789").put("backend", report.backend())
                .put("store", report.store()).put("healthy", report.healthy()).put("findingCount", report.findings().size())
                .put("command", "minsky doctor --bundle").put("includeData", false).put("workingDirectory", "/tmp");
        m.set("report", tree);
        m.set("facts", facts);
        ObjectNode config = m.putObject("config");
        config.putArray("entries");
        config.putArray("problems");
        config.put("userFile", "/tmp/config.yaml").put("userFileExists", false);
        m.putArray("environment");
        m.putObject("store").put("backend", report.backend());
        m.putObject("disk").put("path", "/").put("free", "1 GB").put("total", "2 GB");
        ObjectNode logs = m.putObject("logs");
        logs.put("file", "/tmp/minsky.log").put("limit", 200);
        logs.putArray("lines");
        m.putArray("contents");
        return Bundler.JSON.convertValue(m, Map.class);
    }
}
