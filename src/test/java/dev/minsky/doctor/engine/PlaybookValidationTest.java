package dev.minsky.doctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.doctor.model.PlaybookError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Playbooks are checked on load; errors name the file, line and field, and skip only that playbook. */
class PlaybookValidationTest {
    static final String GOOD = """
            area: store
            causes:
              - id: custom.thing
                title: A custom thing
                severity: warning
                when:
                  - {fact: custom.flag, equals: true}
                evidence:
                  - {fact: custom.flag, equals: true, supports: 0.8}
                remediations:
                  - action: backup.create
                    safety: safe
                    summary: back up
            """;

    static PlaybookError error(String yaml) {
        PlaybookLoader.Parsed p = PlaybookLoader.parse("x.yaml", yaml);
        assertNull(p.playbook(), "should not validate");
        assertNotNull(p.error());
        return p.error();
    }

    @Test
    void a_valid_playbook_parses() {
        assertNotNull(PlaybookLoader.parse("x.yaml", GOOD).playbook());
    }

    @Test
    void an_unknown_safety_class_names_line_and_field() {
        PlaybookError e = error(GOOD.replace("safety: safe", "safety: harmless"));
        assertTrue(e.message().contains("unknown safety class 'harmless'"), e.toString());
        assertEquals("causes[0].remediations[0]", e.field().replace(".safety", ""));
        assertTrue(e.line() >= 11 && e.line() <= 14, "line near the remediation: " + e);
    }

    @Test
    void a_playbook_cannot_relabel_the_guides_rm_wal_as_safe() {
        PlaybookError e = error(GOOD.replace("action: backup.create", "action: sqlite.delete-wal"));
        assertTrue(e.message().contains("sqlite.delete-wal' is destructive, not safe"), e.toString());
    }

    @Test
    void a_playbook_cannot_name_an_action_minsky_does_not_implement() {
        PlaybookError e = error(GOOD.replace("action: backup.create", "action: shell.exec"));
        assertTrue(e.message().startsWith("unknown action 'shell.exec'"), e.toString());
    }

    @Test
    void deleting_the_wal_always_carries_the_warning_that_it_drops_committed_transactions() {
        Playbook p = PlaybookLoader.parse("x.yaml", GOOD.replace("action: backup.create", "action: sqlite.delete-wal")
                .replace("safety: safe", "safety: destructive")).playbook();
        assertTrue(p.causes().get(0).remediations().get(0).warning().contains("drops committed transactions"));
    }

    @Test
    void an_unknown_field_is_named_with_its_line() {
        PlaybookError e = error(GOOD.replace("severity: warning", "severity: warning\n    colour: red"));
        assertTrue(e.message().startsWith("unknown field 'colour'"), e.toString());
        assertEquals(6, e.line(), e.toString());
        assertEquals("causes[0].colour", e.field());
    }

    @Test
    void a_condition_needs_exactly_one_operator() {
        PlaybookError e = error(GOOD.replace("{fact: custom.flag, equals: true}\n    evidence",
                "{fact: custom.flag, equals: true, greater: 2}\n    evidence"));
        assertTrue(e.message().contains("exactly one operator"), e.toString());
        assertTrue(e.field().startsWith("causes[0].when[0]"), e.toString());
    }

    @Test
    void evidence_needs_a_weight_in_range() {
        PlaybookError e = error(GOOD.replace("supports: 0.8", "supports: 3"));
        assertTrue(e.message().contains("must be in (0, 1]"), e.toString());
    }

    @Test
    void yaml_syntax_errors_name_the_line() {
        PlaybookError e = error(GOOD.replace("title: A custom thing", "title: [unclosed"));
        assertTrue(e.line() >= 4, e.toString());
    }

    @Test
    void an_invalid_user_playbook_is_reported_and_skipped_and_the_rest_still_load(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a-good.yaml"), GOOD);
        Files.writeString(dir.resolve("b-bad.yaml"), GOOD.replace("custom.thing", "custom.other").replace("severity: warning", "severity: dire"));
        Files.writeString(dir.resolve("c-clash.yaml"), GOOD.replace("custom.thing", "sqlite.stale-wal"));
        PlaybookLoader.Loaded l = PlaybookLoader.load(List.of(dir));
        assertTrue(l.causes().stream().anyMatch(c -> c.id().equals("custom.thing")));
        assertTrue(l.causes().stream().anyMatch(c -> c.id().equals("sqlite.stale-wal")), "built-ins still load");
        assertEquals(2, l.errors().size(), l.errors().toString());
        PlaybookError bad = l.errors().get(0);
        assertEquals(dir.resolve("b-bad.yaml").toString(), bad.file());
        assertTrue(bad.message().contains("'severity' must be error, warning or info"), bad.toString());
        PlaybookError clash = l.errors().get(1);
        assertTrue(clash.message().contains("already defined in jar:knowledge-base/sqlite.yaml"), clash.toString());
        assertEquals(3, clash.line(), clash.toString());
        // and the engine builds with what did load
        Engine e = Engine.build(l.causes());
        assertTrue(e.causes().containsKey("custom.thing"));
    }
}
