package dev.minsky.doctor.engine;

/**
 * What the generic rules need to know about a cause from its playbook.
 *
 * @see Confidence
 */
public final class CauseInfo {
    private final String cause;
    private final int severityRank;
    private final double threshold;
    private final double prior;

    /**
     * @param severityRank 0 error, 1 warning, 2 info (lower ranks first at equal confidence)
     * @param threshold the confidence below which the cause is dropped
     * @param prior the confidence before any evidence
     */
    public CauseInfo(String cause, int severityRank, double threshold, double prior) {
        this.cause = cause;
        this.severityRank = severityRank;
        this.threshold = threshold;
        this.prior = prior;
    }

    public String getCause() {
        return cause;
    }

    public int getSeverityRank() {
        return severityRank;
    }

    public double getThreshold() {
        return threshold;
    }

    public double getPrior() {
        return prior;
    }
}
