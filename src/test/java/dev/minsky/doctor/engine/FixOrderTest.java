package dev.minsky.doctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.PlaybookError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cause's {@code after}: checked on load, and it orders the ranking and the fix plan. */
class FixOrderTest {
    static PlaybookLoader.Loaded loaded;
    static Engine engine;

    @BeforeAll
    static void build() {
        loaded = PlaybookLoader.load(List.of());
        engine = Engine.build(loaded.causes());
    }

    static String cause(String id, String after) {
        return """
                  - id: %s
                    title: %s
                    severity: error
                %s    when:
                      - {fact: custom.%s, equals: true}
                    evidence:
                      - {fact: custom.%s, equals: true, supports: 0.8}
                    remediations:
                      - action: backup.create
                        safety: safe
                        summary: back up
                """.formatted(id, id, after == null ? "" : "    after: [" + after + "]\n", id.replace('.', '-'), id.replace('.', '-'));
    }

    static List<PlaybookError> loadExtra(Path dir, String yaml) throws IOException {
        Files.writeString(dir.resolve("mine.yaml"), "area: store\ncauses:\n" + yaml);
        PlaybookLoader.Loaded l = PlaybookLoader.load(List.of(dir));
        List<PlaybookError> mine = l.errors().stream().filter(e -> e.file().endsWith("mine.yaml")).toList();
        assertEquals(loaded.playbooks().size() + (mine.isEmpty() ? 1 : 0), l.playbooks().size(),
                "the built-in playbooks still load; mine only when it validates");
        return l.errors().stream().filter(e -> e.file().endsWith("mine.yaml")).toList();
    }

    private static Finding finding(List<Finding> fs, String id) {
        return fs.stream().filter(f -> f.cause().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id + " not in " + fs));
    }

    private static FixtureDef fixture(String name) {
        return loaded.playbooks().stream().flatMap(p -> p.fixtures().stream()).filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no fixture " + name));
    }

    @Test
    void an_after_naming_an_unknown_cause_is_an_error_and_skips_the_playbook(@TempDir Path dir) throws IOException {
        List<PlaybookError> errors = loadExtra(dir, cause("custom.one", "sqlite.no-such-cause"));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).message().contains("'after' names unknown cause sqlite.no-such-cause"), errors.toString());
        assertEquals("causes[0].after", errors.get(0).field());
    }

    @Test
    void an_after_may_name_a_cause_of_another_playbook(@TempDir Path dir) throws IOException {
        List<PlaybookError> errors = loadExtra(dir, cause("custom.one", "sqlite.readonly-permissions"));
        assertEquals(List.of(), errors);
    }

    @Test
    void after_lists_that_form_a_cycle_are_an_error(@TempDir Path dir) throws IOException {
        List<PlaybookError> errors = loadExtra(dir, cause("custom.one", "custom.two") + cause("custom.two", "custom.three")
                + cause("custom.three", "custom.one"));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).message().contains("form a cycle"), errors.toString());
        assertTrue(errors.get(0).message().contains("custom.one after custom.two after custom.three after custom.one"), errors.toString());
    }

    @Test
    void a_cause_cannot_come_after_itself() {
        PlaybookLoader.Parsed p = PlaybookLoader.parse("x.yaml", "area: store\ncauses:\n" + cause("custom.one", "custom.one"));
        assertNotNull(p.error());
        assertTrue(p.error().message().contains("'after' names the cause itself"), p.error().toString());
    }

    @Test
    void the_built_in_playbooks_have_no_cycle_and_name_only_known_causes() {
        Map<String, CauseDef> defs = engine.causes();
        assertEquals(null, PlaybookLoader.findCycle(defs));
        for (CauseDef c : defs.values()) {
            for (String a : c.after()) {
                assertTrue(defs.containsKey(a), c.id() + " after unknown " + a);
            }
        }
    }

    @Test
    void permissions_come_before_a_stale_wal_although_the_wal_is_more_certain() {
        List<Finding> fs = engine.diagnose(fixture("stale WAL in a database the user cannot write, permissions first").facts());
        Finding wal = finding(fs, "sqlite.stale-wal");
        Finding perm = finding(fs, "sqlite.readonly-permissions");
        assertTrue(wal.confidence() > perm.confidence(), "by confidence alone the checkpoint would be tried first: " + fs);
        assertEquals(List.of("sqlite.readonly-permissions", "sqlite.stale-wal"), fs.stream().map(Finding::cause).toList());
        assertEquals(List.of("sqlite.readonly-permissions"), wal.fixAfter());
        assertEquals(List.of(), perm.fixAfter());
    }

    @Test
    void a_backup_comes_before_cleaning_old_sessions_although_the_clean_is_more_certain() {
        List<Finding> fs = engine.diagnose(fixture("many stale sessions and no backup, the backup before the clean").facts());
        assertTrue(finding(fs, "perf.stale-sessions").confidence() > finding(fs, "backup.none-recent").confidence(), fs.toString());
        assertEquals("backup.none-recent", fs.get(0).cause());
        assertEquals(List.of("backup.none-recent"), finding(fs, "perf.stale-sessions").fixAfter());
    }

    @Test
    void a_cause_waits_for_a_blocker_reached_through_a_cause_that_was_not_found() {
        // perf.wal-disabled comes after sqlite.readonly-permissions, which comes after config.invalid
        List<Finding> fs = engine.diagnose(fixture("not in WAL mode and not writable, permissions first").facts().stream()
                .filter(f -> !f.id().equals("store.writable")).collect(Collectors.toCollection(java.util.ArrayList::new)));
        assertEquals(List.of("perf.wal-disabled"), fs.stream().map(Finding::cause).toList(), "writable again: one finding");
        List<dev.minsky.doctor.model.Fact> facts = new java.util.ArrayList<>(fixture("stale WAL while the configuration does not parse, config first").facts());
        facts.removeIf(f -> f.id().equals("sqlite.journalMode"));
        facts.add(new dev.minsky.doctor.model.Fact("sqlite.journalMode", "delete", "fixture"));
        List<Finding> both = engine.diagnose(facts);
        assertEquals("config.invalid", both.get(0).cause(), both.toString());
        assertTrue(finding(both, "perf.wal-disabled").fixAfter().contains("config.invalid"), both.toString());
    }

    @Test
    void the_order_keeps_the_ranking_where_nothing_waits() {
        Map<String, List<String>> blockers = Map.of("b", List.of("c"));
        assertEquals(List.of("a", "c", "b", "d"), Engine.fixOrder(List.of("a", "b", "c", "d"), blockers));
        assertEquals(List.of("x", "y"), Engine.fixOrder(List.of("x", "y"), Map.of("x", List.of("y"), "y", List.of("x"))),
                "a cycle the loader would refuse falls back to the ranking");
    }

    @Test
    void every_playbook_has_a_fixture_for_a_pair_of_causes_where_one_waits_for_the_other() {
        for (Playbook p : loaded.playbooks()) {
            // a playbook that orders its causes (after:) proves that order on a fixture; one whose
            // causes exclude each other (the TLS causes: one connect result each) has nothing to order
            if (p.causes().stream().allMatch(c -> c.after().isEmpty())) {
                continue;
            }
            boolean found = false;
            for (FixtureDef f : p.fixtures()) {
                if (f.expect().size() < 2) {
                    continue;
                }
                Finding second = finding(engine.diagnose(f.facts()), f.expect().get(1));
                found |= second.fixAfter().contains(f.expect().get(0));
            }
            assertTrue(found, p.source() + " has no fixture of two causes where the second comes after the first");
        }
    }
}
