package dev.minsky.doctor.engine;

/**
 * A remediation a playbook offers for a cause. {@code conditional} ones apply only when a
 * {@link RemediationEligible} says their conditions hold.
 */
public final class RemediationOption extends CauseAction {
    private final int order;
    private final boolean conditional;

    /** @param order the remediation's index in the playbook */
    public RemediationOption(String cause, String action, String safety, int order, boolean conditional) {
        super(cause, action, safety);
        this.order = order;
        this.conditional = conditional;
    }

    public int getOrder() {
        return order;
    }

    public boolean isConditional() {
        return conditional;
    }
}
