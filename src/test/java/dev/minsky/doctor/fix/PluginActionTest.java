package dev.minsky.doctor.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.AppContext;
import dev.minsky.config.ConfigService;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.Remediation;
import dev.minsky.doctor.model.Safety;
import dev.minsky.doctor.model.Severity;
import dev.minsky.log.MinskyLog;
import dev.minsky.testutil.BrokenStates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A remediation action from a plugin jar in ~/.config/minsky/plugins/ is found and applied; a broken jar stops nothing. */
class PluginActionTest {
    @TempDir
    Path home;

    /** The plugin's action (its class is on the test classpath; only the plugin jar registers it). */
    public static final class PluginMarker implements RemediationAction {
        @Override
        public String id() {
            return "plugin.write-marker";
        }

        @Override
        public Safety safety() {
            return Safety.SAFE;
        }

        @Override
        public ActionPlan plan(FixContext ctx) {
            return ActionPlan.builder().change("write " + ctx.stateDir().resolve("plugin-marker")).file(ctx.stateDir().resolve("plugin-marker")).build();
        }

        @Override
        public Applied apply(FixContext ctx, ActionPlan plan) {
            try {
                Files.writeString(ctx.stateDir().resolve("plugin-marker"), "from a plugin");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Applied.of("wrote the marker");
        }
    }

    private void pluginJar(String name, String services) throws Exception {
        Path dir = home.resolve(".config/minsky/plugins");
        Files.createDirectories(dir);
        try (OutputStream o = Files.newOutputStream(dir.resolve(name)); JarOutputStream jar = new JarOutputStream(o, apiManifest())) {
            jar.putNextEntry(new JarEntry("META-INF/services/" + RemediationAction.class.getName()));
            jar.write(services.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }

    @Test
    void a_plugin_action_is_planned_applied_and_undone_like_a_built_in_one() throws Exception {
        BrokenStates.healthyJson(home, 1);
        pluginJar("a-broken.jar", "com.example.NoSuchAction\n");
        pluginJar("b-marker.jar", PluginMarker.class.getName() + "\n");
        assertFalse(ActionRegistry.load(dev.minsky.MinskyPaths.from(Map.of("HOME", "/nonexistent"))).containsKey("plugin.write-marker"),
                "without the plugin jar the action is unknown");
        AppContext ctx = new AppContext(Map.of("HOME", home.toString()), home, new PrintStream(new ByteArrayOutputStream()),
                System.err, System.in, false, Clock.systemUTC());
        ConfigService config = ConfigService.load(ctx);
        DoctorEnv env = new DoctorEnv(ctx, config, config.settingsLenient(), MinskyLog.forContext(ctx));
        Path marker = config.settingsLenient().stateDir().resolve("plugin-marker");
        Supplier<DoctorReport> diagnose = () -> {
            List<Finding> f = Files.exists(marker) ? List.of() : List.of(new Finding("plugin.marker-missing", null, Severity.WARNING, 0.7,
                    "no marker", "store", List.of(), List.of(new Remediation("plugin.write-marker", Safety.SAFE, "write it", null, null),
                    new Remediation("json.salvage", Safety.REVERSIBLE, "a built-in that does not apply here", null, null))));
            return new DoctorReport(1, "json", null, f.isEmpty(), f, List.of(), List.of(), null, null);
        };
        DoctorReport r = Fixer.fix(env, diagnose.get(), new Fixer.Options(false, false, true), diagnose);
        assertEquals("applied", r.applied().get(0).result(), r.applied().toString());
        assertTrue(Files.exists(marker));
        assertTrue(r.after().healthy());
        Fixer.undo(env, null);
        assertFalse(Files.exists(marker));
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
