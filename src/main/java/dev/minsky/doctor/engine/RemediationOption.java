package dev.minsky.doctor.engine;

/**
 * A remediation a playbook offers for a cause. {@code conditional} ones apply only when a
 * {@link RemediationEligible} says their conditions hold.
 */
public final class RemediationOption {
    private final String cause;
    private final String action;
    private final String safety;
    private final int order;
    private final boolean conditional;

    public RemediationOption(String cause, String action, String safety, int order, boolean conditional) {
        this.cause = cause;
        this.action = action;
        this.safety = safety;
        this.order = order;
        this.conditional = conditional;
    }

    public String getCause() {
        return cause;
    }

    public String getAction() {
        return action;
    }

    public String getSafety() {
        return safety;
    }

    public int getOrder() {
        return order;
    }

    public boolean isConditional() {
        return conditional;
    }
}
