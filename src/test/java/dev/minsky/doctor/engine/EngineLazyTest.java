package dev.minsky.doctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.Finding;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The doctor's lazy engine (issue 12) builds rules only for the causes that can be reported on the
 * facts, and none on a healthy store: its findings must be those of the whole rule base.
 */
class EngineLazyTest {
    static PlaybookLoader.Loaded loaded;
    static Engine full;
    static Engine lazy;

    @BeforeAll
    static void build() {
        loaded = PlaybookLoader.load(List.of());
        full = Engine.build(loaded.causes());
        lazy = Engine.lazy(loaded.causes());
    }

    /** Every fixture's facts, and each with its middle fact left out and with one probe failed (more mixes of gates and evidence). */
    private static List<List<Fact>> factSets() {
        List<List<Fact>> out = new ArrayList<>();
        for (Playbook p : loaded.playbooks()) {
            for (FixtureDef f : p.fixtures()) {
                out.add(f.facts());
                if (!f.facts().isEmpty()) {
                    List<Fact> less = new ArrayList<>(f.facts());
                    less.remove(less.size() / 2);
                    out.add(less);
                }
                List<Fact> failed = new ArrayList<>(f.facts());
                failed.add(new Fact("probe.sqlite.open.failed", true, "sqlite.open"));
                failed.add(new Fact("probe.store.sessions.failed", true, "store.sessions"));
                out.add(failed);
            }
        }
        return out;
    }

    @Test
    void the_lazy_engine_finds_what_the_whole_rule_base_finds_on_every_fixture() {
        List<List<Fact>> sets = factSets();
        assertTrue(sets.size() > 100, "enough cases: " + sets.size());
        int withFindings = 0;
        for (List<Fact> facts : sets) {
            List<Finding> expected = full.diagnose(facts);
            assertEquals(expected, lazy.diagnose(facts), facts.toString());
            // the debug path (every gated cause's rules, to log what fired) finds the same
            List<String> fired = new ArrayList<>();
            assertEquals(expected, lazy.diagnose(facts, fired::add), facts.toString());
            List<String> firedFull = new ArrayList<>();
            full.diagnose(facts, firedFull::add);
            assertEquals(firedFull, fired, "the same rules fire: " + facts);
            withFindings += expected.isEmpty() ? 0 : 1;
        }
        assertTrue(withFindings > 30, "most cases have findings: " + withFindings);
    }

    @Test
    void on_facts_where_no_cause_can_be_reported_the_whole_rule_base_finds_nothing_either() {
        int empty = 0;
        for (List<Fact> facts : factSets()) {
            if (Engine.gated(lazy.causes(), Engine.withDerived(facts), true).isEmpty()) {
                empty++;
                assertEquals(List.of(), full.diagnose(facts), facts.toString());
            }
        }
        assertTrue(empty > 0, "some fixture is healthy");
        assertEquals(List.of(), lazy.diagnose(List.of()));
    }

    @Test
    void the_gate_test_matches_the_gate_rules() {
        for (List<Fact> facts : factSets()) {
            List<String> firedGates = new ArrayList<>();
            full.diagnose(facts, l -> {
                if (l.startsWith("rule fired: ") && l.replaceAll(" \\(x\\d+\\)$", "").endsWith(" when")) {
                    firedGates.add(l.substring("rule fired: ".length()).replaceAll(" when( \\(x\\d+\\))?$", ""));
                }
            });
            assertEquals(firedGates.stream().sorted().toList(),
                    Engine.gated(full.causes(), Engine.withDerived(facts)).stream().sorted().toList(), facts.toString());
        }
    }

    @Test
    void the_rule_count_is_that_of_the_whole_rule_base() {
        assertEquals(full.ruleCount(), lazy.ruleCount());
        assertFalse(lazy.causes().isEmpty());
    }
}
