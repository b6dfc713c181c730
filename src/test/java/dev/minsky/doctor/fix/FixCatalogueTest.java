package dev.minsky.doctor.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.minsky.MinskyPaths;
import dev.minsky.doctor.fix.Actions;
import dev.minsky.doctor.model.Safety;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The engine's action catalogue is the one list of action ids and their safety classes; the
 * built-in actions found by ServiceLoader must implement exactly its safe and reversible ones.
 */
class FixCatalogueTest {

    private static Set<String> builtIns() {
        return ActionRegistry.load(MinskyPaths.from(Map.of("HOME", "/nonexistent"))).values().stream()
                .filter(a -> a instanceof BuiltinAction)
                .map(RemediationAction::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void every_safe_or_reversible_action_of_the_catalogue_has_a_built_in_implementation_and_no_other() {
        Set<String> appliable = Actions.ids().stream()
                .filter(id -> Actions.safetyOf(id) == Safety.SAFE || Actions.safetyOf(id) == Safety.REVERSIBLE)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(appliable, builtIns());
    }

    private static final class Named extends BuiltinAction {
        Named(String id) {
            super(id);
        }

        @Override
        public ActionPlan plan(FixContext ctx) {
            return ActionPlan.notApplicable("never planned");
        }

        @Override
        public Applied apply(FixContext ctx, ActionPlan plan) {
            throw new AssertionError("never applied");
        }
    }

    @Test
    void a_built_in_action_cannot_be_destructive_manual_or_missing_from_the_catalogue() {
        assertThrows(IllegalStateException.class, () -> new Named("sqlite.delete-wal"));
        assertThrows(IllegalStateException.class, () -> new Named("config.fix-path"));
        assertThrows(IllegalStateException.class, () -> new Named("no.such-action"));
        assertEquals(Safety.REVERSIBLE, new Named("json.salvage").safety());
    }
}
