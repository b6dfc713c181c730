package dev.minsky.doctor.engine;

/** A cause with its combined confidence; {@code reported} when it clears the cause's threshold. */
public final class Diagnosis {
    private final String cause;
    private final double confidence;
    private final int severityRank;
    private final boolean reported;
    private int rank;

    public Diagnosis(String cause, double confidence, int severityRank, boolean reported) {
        this.cause = cause;
        this.confidence = confidence;
        this.severityRank = severityRank;
        this.reported = reported;
    }

    public String getCause() {
        return cause;
    }

    public double getConfidence() {
        return confidence;
    }

    public int getSeverityRank() {
        return severityRank;
    }

    public boolean isReported() {
        return reported;
    }

    /** 1 for the most likely cause; 0 until the ranking rule has run. */
    public int getRank() {
        return rank;
    }

    public void setRank(int rank) {
        this.rank = rank;
    }

    /**
     * True when this diagnosis comes before the other: more confident first; at equal confidence
     * (to two decimals, as shown) the more severe; then by id so that the order is stable.
     */
    public boolean outranks(Diagnosis other) {
        long a = Math.round(confidence * 100);
        long b = Math.round(other.confidence * 100);
        if (a != b) {
            return a > b;
        }
        if (severityRank != other.severityRank) {
            return severityRank < other.severityRank;
        }
        return cause.compareTo(other.cause) < 0;
    }

    @Override
    public String toString() {
        return "Diagnosis(" + cause + " " + confidence + " rank " + rank + (reported ? "" : " dropped") + ")";
    }
}
