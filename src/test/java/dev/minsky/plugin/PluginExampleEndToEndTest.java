package dev.minsky.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.doctor.engine.Engine;
import dev.minsky.doctor.engine.FixtureDef;
import dev.minsky.doctor.engine.Playbook;
import dev.minsky.doctor.engine.PlaybookLoader;
import dev.minsky.doctor.fix.RemediationAction;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.probe.Probe;
import dev.minsky.model.SessionJson;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.DoctorReports;
import dev.minsky.testutil.Processes;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin as an outside author ships it: built from its own sources against the API
 * alone, dropped into a temporary ~/.config/minsky/plugins/, and used through the CLI in a separate
 * process (target/minsky.jar when it is built from these classes, else the same main classes
 * without the test classes): its probe's fact, its playbook's cause first, --fix with journal and
 * re-check, --undo, its backend, and broken plugin jars named while the doctor still runs.
 */
class PluginExampleEndToEndTest {
    @TempDir
    Path tmp;

    private Path home;

    private Processes.Output minsky(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        Path jar = ExamplePlugin.PROJECT.resolve("target/minsky.jar");
        if (packagedIsCurrent(jar)) {
            cmd.addAll(List.of("-jar", jar.toString()));
        } else {
            // the main classes and their dependencies: neither the test classes nor the plugin's
            String cp = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(e -> !e.endsWith("test-classes")).reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
            cmd.addAll(List.of("-cp", cp, "dev.minsky.Main"));
        }
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("XDG_CONFIG_HOME");
        pb.environment().remove("XDG_STATE_HOME");
        pb.environment().remove("MINSKY_SESSIONDB_BACKEND");
        return Processes.run(pb, Duration.ofSeconds(240));
    }

    /** True when target/minsky.jar was built after every class in target/classes. */
    private static boolean packagedIsCurrent(Path jar) throws Exception {
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        FileTime built = Files.getLastModifiedTime(jar);
        try (Stream<Path> s = Files.walk(ExamplePlugin.PROJECT.resolve("target/classes"))) {
            return s.filter(Files::isRegularFile).noneMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(built) > 0;
                } catch (java.io.IOException e) {
                    return true;
                }
            });
        }
    }

    private Path plugins() throws Exception {
        return Files.createDirectories(home.resolve(".config/minsky/plugins"));
    }

    private static JsonNode json(Processes.Output o) throws Exception {
        assertTrue(o.code() == 0 || o.code() == 1, "exit " + o.code() + ": " + o.err());
        return SessionJson.mapper().readTree(o.out());
    }

    @Test
    void the_example_plugin_probes_diagnoses_fixes_undoes_and_stores_sessions() throws Exception {
        home = tmp.resolve("home");
        BrokenStates.healthySqlite(home, 2);
        Files.copy(ExamplePlugin.exampleJar(), plugins().resolve("acme-plugin.jar"));
        Path marker = home.resolve(".local/state/minsky/acme-marker");

        JsonNode before = json(minsky("doctor", "--json"));
        assertEquals(false, DoctorReports.fact(before, "acme.marker.exists").asBoolean(true), before.toString());
        assertEquals("acme.marker-missing", before.get("findings").get(0).get("cause").asText(), before.get("findings").toString());
        assertEquals("acme", before.get("findings").get(0).get("area").asText());
        assertFalse(before.get("healthy").asBoolean());

        Processes.Output human = minsky("doctor");
        assertEquals(1, human.code(), human.err());
        assertTrue(human.out().contains("Area 'acme'"), human.out());
        assertTrue(human.out().contains("The acme marker file is missing"), human.out());

        JsonNode fixed = json(minsky("doctor", "--fix", "--yes", "--json"));
        JsonNode applied = fixed.get("applied");
        assertEquals("acme.create-marker", applied.get(0).get("remediation").asText(), fixed.toString());
        assertEquals("applied", applied.get(0).get("result").asText(), applied.toString());
        assertTrue(applied.get(0).hasNonNull("journalId"), "journalled: " + applied);
        assertTrue(fixed.get("after").get("healthy").asBoolean(), "re-checked healthy afterwards: " + fixed.get("after"));
        assertTrue(Files.isRegularFile(marker));
        assertTrue(Files.isDirectory(home.resolve(".local/state/minsky/doctor/journal")), "the journal is kept");

        Processes.Output undo = minsky("doctor", "--undo");
        assertEquals(0, undo.code(), undo.out() + undo.err());
        assertFalse(Files.exists(marker), "undo removed the marker again: " + undo.out());
        JsonNode again = json(minsky("doctor", "--json"));
        assertEquals("acme.marker-missing", again.get("findings").get(0).get("cause").asText());

        // the plugin's backend
        Processes.Output set = minsky("config", "set", "sessiondb.backend", "dirstore");
        assertEquals(0, set.code(), set.err());
        Processes.Output start = minsky("session", "start", "plug-1", "--task", "md#7", "--repo", "https://github.com/edobry/minsky.git");
        assertEquals(0, start.code(), start.out() + start.err());
        Processes.Output get = minsky("session", "get", "plug-1", "--json");
        assertEquals(0, get.code(), get.err());
        assertEquals("md#7", SessionJson.mapper().readTree(get.out()).get("taskId").asText(), get.out());
        try (Stream<Path> s = Files.list(home.resolve(".local/state/minsky/dirstore"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().equals("plug-1.json")), "the record is a file of the dirstore");
        }
        Processes.Output env = minsky("session", "list");
        assertEquals(0, env.code(), env.err());
        assertTrue(env.out().contains("plug-1"), env.out());
        JsonNode onPlugin = json(minsky("doctor", "--json"));
        assertEquals("dirstore", onPlugin.get("backend").asText());
        assertEquals("acme.marker-missing", onPlugin.get("findings").get(0).get("cause").asText(), onPlugin.get("findings").toString());

        Processes.Output unknown = minsky("config", "set", "sessiondb.backend", "nosuch");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("dirstore"), "the loaded backends are listed: " + unknown.err());
    }

    @Test
    void the_examples_playbook_fixtures_hold() throws Exception {
        home = tmp.resolve("home");
        Files.copy(ExamplePlugin.exampleJar(), plugins().resolve("acme-plugin.jar"));
        dev.minsky.MinskyPaths paths = dev.minsky.MinskyPaths.from(Map.of("HOME", home.toString()));
        Plugins.use(paths);
        try {
            PlaybookLoader.Loaded loaded = PlaybookLoader.loadWithPlugins(List.of(), Plugins.jars(paths));
            assertEquals(List.of(), loaded.errors());
            Playbook acme = loaded.playbooks().stream().filter(p -> p.source().contains("acme-plugin.jar")).findFirst().orElseThrow();
            Engine engine = Engine.build(loaded.causes());
            assertEquals(3, acme.fixtures().size());
            for (FixtureDef f : acme.fixtures()) {
                List<String> ranked = engine.diagnose(f.facts()).stream().filter(x -> x.severity() != dev.minsky.doctor.model.Severity.INFO)
                        .map(Finding::cause).toList();
                assertEquals(f.expect(), ranked.subList(0, Math.min(ranked.size(), f.expect().size())), f.name() + ": " + ranked);
                if (f.expect().isEmpty()) {
                    assertEquals(List.of(), ranked, f.name());
                }
                f.absent().forEach(a -> assertFalse(ranked.contains(a), f.name() + ": " + a));
            }
        } finally {
            Plugins.use(null);
        }
    }

    @Test
    void broken_plugin_jars_are_named_and_the_doctor_still_runs() throws Exception {
        home = tmp.resolve("home");
        BrokenStates.healthySqlite(home, 1);
        Path dir = plugins();
        String probe = """
                package com.broken;
                import dev.minsky.doctor.probe.Probe;
                import dev.minsky.doctor.probe.ProbeContext;
                import java.util.Set;
                public final class %s implements Probe {
                    public String id() { return "%s"; }
                    public Cost cost() { return Cost.CHEAP; }
                    public java.time.Duration timeout() { return java.time.Duration.ofMillis(%d); }
                    public Set<String> produces() { return Set.of(); }
                    public void run(ProbeContext ctx) throws Exception { %s }
                }
                """;
        // throws
        Path w1 = tmp.resolve("throws");
        Files.copy(ExamplePlugin.build(ExamplePlugin.sources(w1, Map.of("com.broken.Thrower",
                        probe.formatted("Thrower", "broken.thrower", 2000, "throw new IllegalStateException(\"the thrower threw\");"))),
                ExamplePlugin.services(w1, Map.of(Probe.class, "com.broken.Thrower")), w1, "throwing-plugin.jar", "1", List.of()),
                dir.resolve("throwing-plugin.jar"));
        // hangs past its deadline
        Path w2 = tmp.resolve("hangs");
        Files.copy(ExamplePlugin.build(ExamplePlugin.sources(w2, Map.of("com.broken.Sleeper",
                        probe.formatted("Sleeper", "broken.sleeper", 300, "Thread.sleep(600_000);"))),
                ExamplePlugin.services(w2, Map.of(Probe.class, "com.broken.Sleeper")), w2, "hanging-plugin.jar", "1", List.of()),
                dir.resolve("hanging-plugin.jar"));
        // an action whose class needs one the jar does not hold
        Path w3 = tmp.resolve("missing");
        Files.copy(ExamplePlugin.build(ExamplePlugin.sources(w3, Map.of(
                        "com.broken.Helper", "package com.broken; public class Helper { public static String name() { return \"broken.action\"; } }",
                        "com.broken.NeedsHelper", """
                                package com.broken;
                                import dev.minsky.doctor.fix.*;
                                import dev.minsky.doctor.model.Safety;
                                public final class NeedsHelper extends Helper implements RemediationAction {
                                    public String id() { return Helper.name(); }
                                    public Safety safety() { return Safety.SAFE; }
                                    public ActionPlan plan(FixContext ctx) { return ActionPlan.notApplicable("never"); }
                                    public Applied apply(FixContext ctx, ActionPlan plan) { return Applied.of("never"); }
                                }
                                """)),
                ExamplePlugin.services(w3, Map.of(RemediationAction.class, "com.broken.NeedsHelper", Probe.class, "com.broken.Gone")),
                w3, "missing-class-plugin.jar", "1", List.of("com.broken.Helper")), dir.resolve("missing-class-plugin.jar"));
        // built for another API version: its probe would work, but it is skipped
        Path w4 = tmp.resolve("version");
        Files.copy(ExamplePlugin.build(ExamplePlugin.sources(w4, Map.of("com.broken.Fine",
                        probe.formatted("Fine", "broken.fine", 2000, "ctx.emit(\"broken.fine.ran\", true);"))),
                ExamplePlugin.services(w4, Map.of(Probe.class, "com.broken.Fine")), w4, "future-plugin.jar", "99", List.of()),
                dir.resolve("future-plugin.jar"));
        Files.copy(ExamplePlugin.exampleJar(), dir.resolve("acme-plugin.jar"));

        Processes.Output human = minsky("doctor");
        assertEquals(1, human.code(), human.out() + human.err()); // the acme marker is missing: findings, not a crash
        String out = human.out();
        for (String jar : List.of("throwing-plugin.jar", "hanging-plugin.jar", "missing-class-plugin.jar", "future-plugin.jar")) {
            assertTrue(out.contains(jar), jar + " is named:\n" + out);
        }
        assertTrue(out.contains("the thrower threw"), out);
        assertTrue(out.contains("com.broken.Gone"), out);
        assertTrue(out.contains("com.broken.NeedsHelper") && out.contains("NoClassDefFoundError"), "the action's missing class:\n" + out);
        assertTrue(out.contains("built for plugin API version 99"), out);
        assertTrue(out.contains("The acme marker file is missing"), "the working plugin still runs:\n" + out);

        JsonNode r = json(minsky("doctor", "--json"));
        assertEquals(true, DoctorReports.fact(r, "store.exists").asBoolean(), "the built-in probes ran");
        assertEquals(null, DoctorReports.fact(r, "broken.fine.ran"), "the jar of another API version was not loaded");
        assertEquals(true, DoctorReports.fact(r, "probe.broken.thrower.failed").asBoolean());
        assertEquals(true, DoctorReports.fact(r, "probe.broken.sleeper.failed").asBoolean());
        assertEquals("acme.marker-missing", r.get("findings").get(0).get("cause").asText(), r.get("findings").toString());
    }
}
