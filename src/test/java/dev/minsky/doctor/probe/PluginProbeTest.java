package dev.minsky.doctor.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.doctor.model.ProbeRun;
import dev.minsky.testutil.BrokenStates;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probes added by a plugin jar in ~/.config/minsky/plugins/ are found; a broken one does not stop the run. */
class PluginProbeTest {
    @TempDir
    Path home;

    /** A plugin's probe (its class is on the test classpath; the jar only registers it). */
    public static final class CountingProbe implements Probe {
        @Override
        public String id() {
            return "plugin.example";
        }

        @Override
        public Cost cost() {
            return Cost.CHEAP;
        }

        @Override
        public Set<String> dependsOn() {
            return Set.of("store.exists");
        }

        @Override
        public Set<String> produces() {
            return Set.of("example.sawStore");
        }

        @Override
        public void run(ProbeContext ctx) {
            ctx.emit("example.sawStore", ctx.fact("store.exists").map(f -> f.isTrue()).orElse(false));
        }
    }

    private void pluginJar(String name, String services) throws Exception {
        Path dir = home.resolve(".config/minsky/plugins");
        Files.createDirectories(dir);
        try (OutputStream o = Files.newOutputStream(dir.resolve(name)); JarOutputStream jar = new JarOutputStream(o, apiManifest())) {
            jar.putNextEntry(new JarEntry("META-INF/services/" + Probe.class.getName()));
            jar.write(services.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }

    @Test
    void a_plugin_probe_runs_after_the_facts_it_depends_on_and_a_broken_plugin_is_reported() throws Exception {
        BrokenStates.healthyJson(home, 2);
        pluginJar("a-example.jar", CountingProbe.class.getName() + "\n");
        pluginJar("b-broken.jar", "com.example.NoSuchProbe\n");
        ProbeRunner.Results r = Probes.results(home);
        Map<String, Object> f = Probes.asMap(r);
        assertEquals(true, f.get("example.sawStore"), "ran after fs.store, which makes store.exists");
        ProbeRun broken = r.runs().stream().filter(x -> x.id().equals("plugin")).findFirst().orElseThrow();
        assertEquals("failed", broken.status());
        assertTrue(broken.detail().contains("NoSuchProbe"), broken.detail());
        assertEquals(true, f.get("json.parse.ok"), "the built-in probes still ran");
    }

    /** The manifest a plugin built against this API carries (the loader skips a jar without it). */
    static java.util.jar.Manifest apiManifest() {
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue(dev.minsky.plugin.api.PluginApi.MANIFEST_ATTRIBUTE,
                Integer.toString(dev.minsky.plugin.api.PluginApi.VERSION));
        return m;
    }
}
