package dev.minsky.doctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.doctor.model.PlaybookError;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in knowledge base as the build pre-checks it (issue 12): a broken built-in playbook
 * fails the generator, and the pre-checked form gives the same playbooks as parsing the YAML.
 */
class BuiltInKbTest {
    static final Path KB = Path.of("knowledge-base");

    @TempDir
    Path tmp;

    private Path copyOfKb() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("kb"));
        try (var files = Files.list(KB)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName().toString()));
            }
        }
        return dir;
    }

    /** The built-in playbooks parsed from their YAML, one by one, the way a run did before the pre-checked form. */
    private static List<Playbook> parsedFromYaml() throws IOException {
        List<Playbook> out = new ArrayList<>();
        for (String name : PlaybookLoader.builtInNames()) {
            try (InputStream in = BuiltInKbTest.class.getClassLoader().getResourceAsStream(name)) {
                assertNotNull(in, name);
                PlaybookLoader.Parsed p = PlaybookLoader.parse("jar:" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                assertNull(p.error(), String.valueOf(p.error()));
                out.add(p.playbook());
            }
        }
        return out;
    }

    @Test
    void a_broken_built_in_playbook_fails_the_generator_with_the_validators_message() throws IOException {
        Path dir = copyOfKb();
        Path sqlite = dir.resolve("sqlite.yaml");
        String text = Files.readString(sqlite);
        String broken = text.replaceFirst("severity: (error|warning|info)", "severity: catastrophic");
        assertFalse(broken.equals(text));
        Files.writeString(sqlite, broken);
        Path out = tmp.resolve("out/builtin.kb");
        BuiltInKb.InvalidKnowledgeBase e = assertThrows(BuiltInKb.InvalidKnowledgeBase.class,
                () -> BuiltInKb.main(new String[] {dir.toString(), out.toString()}));
        assertTrue(e.getMessage().contains(sqlite.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'severity' must be error, warning or info, was 'catastrophic'"), e.getMessage());
        PlaybookError err = e.errors().get(0);
        assertTrue(err.line() > 0, "the error names the line: " + err);
        assertEquals("catastrophic", broken.lines().toList().get(err.line() - 1).replaceAll(".*severity: ", "").strip(),
                "the line is the broken one: " + err);
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void an_unknown_action_and_an_unlisted_or_missing_playbook_fail_the_generator() throws IOException {
        Path dir = copyOfKb();
        Path json = dir.resolve("json.yaml");
        Files.writeString(json, Files.readString(json).replaceFirst("action: [a-z.-]+", "action: json.make-it-so"));
        Files.writeString(dir.resolve("extra.yaml"), "area: store\ncauses: []\n");
        Files.writeString(dir.resolve("index.list"), Files.readString(dir.resolve("index.list")) + "gone.yaml\n");
        BuiltInKb.InvalidKnowledgeBase e = assertThrows(BuiltInKb.InvalidKnowledgeBase.class, () -> BuiltInKb.compile(dir));
        String m = e.getMessage();
        assertTrue(m.contains("unknown action 'json.make-it-so'"), m);
        assertTrue(m.contains("extra.yaml") && m.contains("not listed in"), m);
        assertTrue(m.contains("gone.yaml is listed but missing"), m);
    }

    @Test
    void the_pre_checked_form_is_the_same_knowledge_base_as_the_yaml() throws IOException {
        List<Playbook> pre = BuiltInKb.load(getClass().getClassLoader(), PlaybookLoader.builtInNames());
        assertNotNull(pre, "the build wrote " + BuiltInKb.RESOURCE + " from these very playbooks");
        List<Playbook> yaml = parsedFromYaml();
        assertEquals(yaml.size(), pre.size());
        for (int i = 0; i < yaml.size(); i++) {
            Playbook y = yaml.get(i);
            Playbook p = pre.get(i);
            assertEquals(y.source(), p.source());
            assertEquals(y.causes().stream().map(CauseDef::id).toList(), p.causes().stream().map(CauseDef::id).toList(), y.source());
            assertEquals(y.causes().stream().map(CauseDef::areaOrDefault).toList(), p.causes().stream().map(CauseDef::areaOrDefault).toList());
            assertEquals(y.causes().stream().map(c -> c.when().size() + "/" + c.evidence().size() + "/" + c.remediations().size()).toList(),
                    p.causes().stream().map(c -> c.when().size() + "/" + c.evidence().size() + "/" + c.remediations().size()).toList());
            for (int k = 0; k < y.causes().size(); k++) {
                CauseDef a = y.causes().get(k);
                CauseDef b = p.causes().get(k);
                // exprId names the operand's type: an Integer read back as a Long would be another alpha node
                assertEquals(a.when().stream().map(Condition::exprId).toList(), b.when().stream().map(Condition::exprId).toList());
                assertEquals(a.evidence().stream().map(e -> e.condition().exprId()).toList(),
                        b.evidence().stream().map(e -> e.condition().exprId()).toList());
            }
            assertEquals(y, p, "every field of " + y.source());
        }
        // and the loader, which reads the pre-checked form, gives the same as the YAML
        PlaybookLoader.Loaded loaded = PlaybookLoader.load(List.of());
        assertEquals(List.of(), loaded.errors());
        assertEquals(yaml, loaded.playbooks());
        assertEquals(Engine.build(yaml.stream().flatMap(b -> b.causes().stream()).toList()).ruleCount(),
                Engine.build(loaded.causes()).ruleCount());
    }

    @Test
    void a_pre_checked_form_of_other_yaml_texts_is_not_used() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("cp"));
        Path dir = Files.createDirectories(root.resolve("knowledge-base"));
        try (var files = Files.list(KB)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName().toString()));
            }
        }
        Files.write(dir.resolve("builtin.kb"), BuiltInKb.compile(dir));
        List<String> names = PlaybookLoader.builtInNames();
        try (URLClassLoader cl = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            assertEquals(parsedFromYaml(), BuiltInKb.load(cl, names));
        }
        Path store = dir.resolve("store.yaml");
        Files.writeString(store, Files.readString(store) + "\n# edited after the build\n");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            assertNull(BuiltInKb.load(cl, names), "a stale form is refused, so the loader parses the YAML");
        }
    }

    /** As a user runs it: from a jar, where the YAML texts' CRCs come from the jar's directory. */
    @Test
    void in_a_jar_the_form_is_used_only_with_the_texts_it_was_made_from() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("jar-kb"));
        try (var files = Files.list(KB)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName().toString()));
            }
        }
        byte[] form = BuiltInKb.compile(dir);
        List<String> names = PlaybookLoader.builtInNames();
        Path good = jar(tmp.resolve("good.jar"), dir, form);
        try (URLClassLoader cl = new URLClassLoader(new URL[] {good.toUri().toURL()}, null)) {
            assertEquals(parsedFromYaml(), BuiltInKb.load(cl, names));
        }
        // one text edited after the form was made (a stale build): refused
        Path store = dir.resolve("store.yaml");
        Files.writeString(store, Files.readString(store) + "\n# edited after the build\n");
        Path stale = jar(tmp.resolve("stale.jar"), dir, form);
        try (URLClassLoader cl = new URLClassLoader(new URL[] {stale.toUri().toURL()}, null)) {
            assertNull(BuiltInKb.load(cl, names), "a stale form in a jar is refused, so the loader parses the YAML");
        }
    }

    private static Path jar(Path jar, Path kbDir, byte[] form) throws IOException {
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar)); var files = Files.list(kbDir)) {
            for (Path f : files.sorted().toList()) {
                if (f.getFileName().toString().equals("builtin.kb")) {
                    continue;
                }
                out.putNextEntry(new java.util.jar.JarEntry("knowledge-base/" + f.getFileName()));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
            out.putNextEntry(new java.util.jar.JarEntry(BuiltInKb.RESOURCE));
            out.write(form);
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void user_playbooks_still_extend_and_cannot_replace_the_built_in_ones() throws IOException {
        Path user = Files.createDirectories(tmp.resolve("user"));
        Files.writeString(user.resolve("acme.yaml"), """
                area: acme
                causes:
                  - id: acme.cache-stale
                    title: The acme cache is stale
                    severity: warning
                    after: [sqlite.stale-wal]
                    when:
                      - fact: acme.cache.stale
                        equals: true
                    evidence:
                      - fact: acme.cache.stale
                        equals: true
                        supports: 0.9
                """);
        Files.writeString(user.resolve("copy.yaml"), """
                causes:
                  - id: sqlite.stale-wal
                    title: mine
                    severity: info
                    when:
                      - fact: x.y
                        exists: true
                    evidence:
                      - fact: x.y
                        exists: true
                        supports: 0.5
                """);
        PlaybookLoader.Loaded loaded = PlaybookLoader.load(List.of(user));
        List<String> ids = loaded.causes().stream().map(CauseDef::id).toList();
        assertTrue(ids.contains("acme.cache-stale"), ids.toString());
        assertEquals(ids.indexOf("acme.cache-stale"), ids.size() - 1, "after the built-in ones");
        assertEquals(1, ids.stream().filter("sqlite.stale-wal"::equals).count());
        assertEquals(1, loaded.errors().size(), loaded.errors().toString());
        assertTrue(loaded.errors().get(0).message().contains("cause sqlite.stale-wal is already defined in jar:knowledge-base/sqlite.yaml"),
                loaded.errors().toString());
        assertEquals(parsedFromYaml().size() + 1, loaded.playbooks().size());
    }
}
