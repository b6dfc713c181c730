package dev.minsky.doctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.minsky.doctor.kb.FixtureRunner;
import dev.minsky.doctor.model.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every fixture of every built-in playbook, run through the real rule base. */
class PlaybookFixturesTest {
    /** The spec sits beside the project ({@code ../shared/spec/}); Maven runs tests from the project's root. */
    static final Path CATALOGUE = Path.of("..", "shared", "spec", "doctor-catalogue.md").toAbsolutePath().normalize();
    /** The catalogue's cause ids, used when the catalogue file is not on this machine. */
    static final List<String> CATALOGUE_IDS = List.of("json.file-missing", "json.basedir-misconfigured",
            "json.permission-denied", "json.truncated-write", "json.corrupt", "json.too-many-open-files",
            "sqlite.locked-by-process", "sqlite.stale-wal", "sqlite.corrupt", "sqlite.not-a-database",
            "sqlite.readonly-permissions", "sqlite.readonly-filesystem", "sqlite.cannot-open", "sqlite.disk-full",
            "sqlite.schema-missing", "postgres.server-down", "postgres.unreachable", "postgres.auth-failed",
            "postgres.role-missing", "postgres.database-missing", "postgres.schema-missing",
            "postgres.too-many-connections", "postgres.starting-up", "config.invalid", "store.split-brain",
            "sessions.orphaned-workspaces", "sessions.missing-workspaces", "perf.slow-operations", "perf.missing-index",
            "perf.wal-disabled", "perf.stale-sessions", "backup.none-recent");

    static PlaybookLoader.Loaded loaded;
    static Engine engine;

    @BeforeAll
    static void build() {
        loaded = PlaybookLoader.load(List.of());
        engine = Engine.build(loaded.causes());
    }

    @Test
    void built_in_playbooks_all_validate() {
        assertEquals(List.of(), loaded.errors());
        assertTrue(loaded.playbooks().size() >= 5, "one playbook per area");
    }

    @Test
    void the_index_lists_every_playbook_file() throws IOException {
        Set<String> files;
        try (Stream<Path> s = Files.list(Path.of("knowledge-base"))) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> listed = PlaybookLoader.builtInNames().stream().map(n -> n.substring("knowledge-base/".length()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(files, listed);
    }

    @Test
    void every_cause_in_the_catalogue_has_a_playbook_and_a_fixture_that_ranks_it_first() throws IOException {
        Set<String> ids = catalogueIds();
        Set<String> defined = engine.causes().keySet();
        Set<String> topOfAFixture = new LinkedHashSet<>();
        for (Playbook p : loaded.playbooks()) {
            for (FixtureDef f : p.fixtures()) {
                if (!f.expect().isEmpty()) {
                    topOfAFixture.add(f.expect().get(0));
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (String id : ids) {
            if (!defined.contains(id)) {
                problems.add(id + ": no playbook defines it");
            } else if (!topOfAFixture.contains(id)) {
                problems.add(id + ": no fixture expects it first");
            }
        }
        for (String id : defined) {
            if (!topOfAFixture.contains(id)) {
                problems.add(id + ": defined but no fixture expects it first");
            }
        }
        assertEquals(List.of(), problems);
    }

    static Set<String> catalogueIds() throws IOException {
        if (!Files.exists(CATALOGUE)) {
            return new TreeSet<>(CATALOGUE_IDS);
        }
        Set<String> ids = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z]+\\.[a-z0-9-]+)`").matcher(Files.readString(CATALOGUE));
        while (m.find()) {
            ids.add(m.group(1));
        }
        assertTrue(ids.size() >= 30, "parsed the catalogue's cause ids: " + ids);
        return ids;
    }

    @TestFactory
    Stream<DynamicTest> every_fixture_ranks_its_causes_as_expected() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Playbook p : loaded.playbooks()) {
            for (FixtureDef f : p.fixtures()) {
                tests.add(DynamicTest.dynamicTest(p.source() + ": " + f.name(), () -> check(f)));
            }
        }
        return tests.stream();
    }

    static void check(FixtureDef f) {
        List<Finding> findings = engine.diagnose(f.facts());
        // the ranking, absent and confidence checks are the ones `minsky kb test` runs
        FixtureRunner.Result r = FixtureRunner.check("built-in", f, findings);
        if (!r.passed()) {
            fail(r.problem());
        }
        for (Finding x : findings) {
            assertTrue(x.confidence() > 0 && x.confidence() < 1, "confidence in (0,1): " + x);
            assertFalse(x.remediations().isEmpty() && !x.cause().equals("perf.slow-operations"), "remediations for " + x.cause());
        }
    }
}
