package dev.minsky.doctor.fix;

import dev.minsky.doctor.fix.Actions;
import dev.minsky.doctor.model.Safety;

/**
 * A remediation action that ships with minsky. Its safety class is the one the engine's catalogue
 * of action ids ({@link Actions}) gives its id: the catalogue is the one list of what exists and
 * how safe it is, read on every {@code minsky doctor} run to check the playbooks without loading
 * these classes, and an action cannot contradict it. Internal: a plugin implements
 * {@link RemediationAction} directly.
 */
public abstract class BuiltinAction implements RemediationAction {
    private final String id;
    private final Safety safety;

    /** @throws IllegalStateException when the catalogue does not list {@code id} as a safe or reversible action */
    protected BuiltinAction(String id) {
        Safety s = Actions.safetyOf(id);
        if (s != Safety.SAFE && s != Safety.REVERSIBLE) {
            // Destructive and manual remediations are only ever printed; an unknown id no playbook could name.
            throw new IllegalStateException("the action catalogue has no safe or reversible action '" + id + "' (it says " + s + ")");
        }
        this.id = id;
        this.safety = s;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Safety safety() {
        return safety;
    }
}
