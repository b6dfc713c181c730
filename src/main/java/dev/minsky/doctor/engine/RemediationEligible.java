package dev.minsky.doctor.engine;

/** The conditions of a cause's remediation number {@code order} hold. */
public final class RemediationEligible {
    private final String cause;
    private final int order;

    public RemediationEligible(String cause, int order) {
        this.cause = cause;
        this.order = order;
    }

    public String getCause() {
        return cause;
    }

    public int getOrder() {
        return order;
    }
}
