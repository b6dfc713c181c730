package dev.minsky.doctor.engine;

import dev.minsky.doctor.fix.Actions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.MinskyPaths;
import dev.minsky.doctor.model.Safety;
import dev.minsky.plugin.Plugins;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A playbook may name a new area, leave out remediations, and name a plugin's action once that
 * plugin is loaded; an action nobody loaded is still refused, with the loaded ones listed.
 */
class OpenRegistriesTest {
    @TempDir
    Path home;

    @AfterEach
    void forget() {
        Plugins.use(null);
    }

    private static final String CAUSE = """
            area: acme
            causes:
              - id: acme.thing
                title: A thing of a plugin's
                severity: warning
                area: acme
                when:
                  - {fact: acme.flag, equals: true}
                evidence:
                  - {fact: acme.flag, equals: true, supports: 0.8}
            """;

    @Test
    void a_new_area_and_a_cause_without_remediations_validate() {
        Playbook p = PlaybookLoader.parse("acme.yaml", CAUSE).playbook();
        assertNotNull(p, PlaybookLoader.parse("acme.yaml", CAUSE).error() + "");
        assertEquals("acme", p.causes().get(0).area());
        assertEquals(0, p.causes().get(0).remediations().size());
        var findings = Engine.build(p.causes()).diagnose(java.util.List.of(new dev.minsky.doctor.model.Fact("acme.flag", true, "t")));
        assertEquals("acme.thing", findings.get(0).cause());
        assertEquals("acme", findings.get(0).area());
    }

    @Test
    void an_area_that_is_no_id_is_still_refused() {
        var e = PlaybookLoader.parse("acme.yaml", CAUSE.replace("    area: acme", "    area: Not An Area")).error();
        assertNotNull(e);
        assertTrue(e.message().contains("is not an area id"), e.toString());
    }

    @Test
    void a_plugin_action_is_known_once_its_jar_is_loaded_and_an_unloaded_one_is_refused_with_the_list() throws Exception {
        String yaml = CAUSE + """
                    remediations:
                      - {action: plugin.write-marker, safety: safe, summary: write it}
                """;
        Plugins.use(MinskyPaths.from(Map.of("HOME", home.toString())));
        var refused = PlaybookLoader.parse("acme.yaml", yaml).error();
        assertNotNull(refused, "no plugin loaded yet");
        assertTrue(refused.message().startsWith("unknown action 'plugin.write-marker'"), refused.toString());
        assertTrue(refused.message().contains("backup.create"), "the loaded actions are listed: " + refused);

        Path dir = Files.createDirectories(home.resolve(".config/minsky/plugins"));
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Minsky-Plugin-Api", "1");
        try (OutputStream o = Files.newOutputStream(dir.resolve("marker.jar")); JarOutputStream jar = new JarOutputStream(o, m)) {
            jar.putNextEntry(new JarEntry("META-INF/services/dev.minsky.doctor.fix.RemediationAction"));
            jar.write((WriteMarker.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        assertEquals(Safety.SAFE, Actions.safetyOf("plugin.write-marker"));
        assertTrue(Actions.ids().contains("plugin.write-marker"));
        assertNull(PlaybookLoader.parse("acme.yaml", yaml).error());
        assertFalse(Actions.builtInIds().contains("plugin.write-marker"));
        assertNull(Actions.safetyOf("nobody.loaded-this"));
    }

    /** The plugin's action (its class is on the test classpath; the jar only registers it). */
    public static final class WriteMarker implements dev.minsky.doctor.fix.RemediationAction {
        @Override
        public String id() {
            return "plugin.write-marker";
        }

        @Override
        public Safety safety() {
            return Safety.SAFE;
        }

        @Override
        public dev.minsky.doctor.fix.ActionPlan plan(dev.minsky.doctor.fix.FixContext ctx) {
            return dev.minsky.doctor.fix.ActionPlan.notApplicable("a test");
        }

        @Override
        public Applied apply(dev.minsky.doctor.fix.FixContext ctx, dev.minsky.doctor.fix.ActionPlan plan) {
            return Applied.of("nothing");
        }
    }
}
