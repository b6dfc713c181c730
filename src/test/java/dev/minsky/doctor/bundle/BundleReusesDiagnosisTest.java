package dev.minsky.doctor.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code doctor --bundle} renders the diagnosis the run shows; it never diagnoses a second time.
 * A plugin probe whose answer flips on every run makes a second diagnosis disagree with the first
 * (as a server whose load changes between two looks does), so the bundle's top cause equals the
 * one {@code doctor --json} printed only when the bundle reuses it.
 */
class BundleReusesDiagnosisTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicInteger RUNS = new AtomicInteger();

    @TempDir
    Path home;

    /** Says "odd" and "even" on alternate runs. */
    public static final class FlippingProbe implements Probe {
        @Override
        public String id() {
            return "plugin.flip";
        }

        @Override
        public Cost cost() {
            return Cost.CHEAP;
        }

        @Override
        public Set<String> produces() {
            return Set.of("flip.parity");
        }

        @Override
        public void run(ProbeContext ctx) {
            ctx.emit("flip.parity", RUNS.incrementAndGet() % 2 == 1 ? "odd" : "even");
        }
    }

    private void plugin() throws Exception {
        Path dir = home.resolve(".config/minsky/plugins");
        Files.createDirectories(dir);
        // a plugin jar says which plugin API it was built for, or minsky skips it
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue(dev.minsky.plugin.api.PluginApi.MANIFEST_ATTRIBUTE, String.valueOf(dev.minsky.plugin.api.PluginApi.VERSION));
        try (OutputStream o = Files.newOutputStream(dir.resolve("flip.jar")); JarOutputStream jar = new JarOutputStream(o, mf)) {
            jar.putNextEntry(new JarEntry("META-INF/services/" + Probe.class.getName()));
            jar.write((FlippingProbe.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        Path kb = home.resolve(".config/minsky/knowledge-base");
        Files.createDirectories(kb);
        Files.writeString(kb.resolve("flip.yaml"), """
                area: store
                description: a cause that depends on which run it is
                causes:
                  - id: store.flip-odd
                    title: odd run
                    severity: error
                    when: [{fact: flip.parity, equals: odd}]
                    evidence: [{fact: flip.parity, equals: odd, supports: 0.99, note: odd}]
                    remediations: [{action: config.fix, safety: manual, summary: nothing, command: "true"}]
                  - id: store.flip-even
                    title: even run
                    severity: error
                    when: [{fact: flip.parity, equals: even}]
                    evidence: [{fact: flip.parity, equals: even, supports: 0.99, note: even}]
                    remediations: [{action: config.fix, safety: manual, summary: nothing, command: "true"}]
                fixtures:
                  - {name: odd, facts: {flip.parity: odd}, expect: [store.flip-odd]}
                  - {name: even, facts: {flip.parity: even}, expect: [store.flip-even]}
                """);
    }

    private static String top(JsonNode report) {
        return report.get("findings").get(0).get("cause").asText();
    }

    @Test
    void the_bundle_shows_the_top_cause_doctor_json_printed_in_the_same_run() throws Exception {
        BrokenStates.healthyJson(home, 2);
        plugin();
        Cli cli = new Cli(home);
        // two runs disagree: a second diagnosis inside the bundle would name the other cause
        String first = top(JSON.readTree(cli.run("doctor", "--json").out()));
        String second = top(JSON.readTree(cli.run("doctor", "--json").out()));
        assertNotEquals(first, second, "the flipping probe makes two diagnoses disagree");

        for (int i = 0; i < 2; i++) {
            Path zip = home.resolve("bundle-" + i + ".zip");
            Cli.Result r = cli.run("doctor", "--json", "--bundle", zip.toString());
            assertEquals(1, r.code(), r.toString());
            String shown = top(JSON.readTree(r.out()));
            Map<String, byte[]> entries = BundleFixtures.unpack(zip, home);
            assertEquals(shown, top(JSON.readTree(BundleFixtures.text(entries, "findings.json"))), "findings.json");
            String md = BundleFixtures.text(entries, "report.md");
            String firstFinding = md.substring(md.indexOf("### 1."));
            assertEquals(true, firstFinding.contains("`" + shown + "`"), "report.md's first finding: " + firstFinding);
        }
    }
}
