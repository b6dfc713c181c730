package dev.minsky.doctor.engine;

/** One piece of evidence that held, for or against a cause, with its weight (0..1). */
public final class EvidenceHit {
    private final String cause;
    private final String fact;
    private final Object value;
    private final boolean supports;
    private final double weight;
    private final String note;

    public EvidenceHit(String cause, String fact, Object value, boolean supports, double weight, String note) {
        this.cause = cause;
        this.fact = fact;
        this.value = value;
        this.supports = supports;
        this.weight = weight;
        this.note = note;
    }

    public String getCause() {
        return cause;
    }

    public String getFact() {
        return fact;
    }

    public Object getValue() {
        return value;
    }

    public boolean isSupports() {
        return supports;
    }

    public double getWeight() {
        return weight;
    }

    /** Why it counts, for the verbose view; may be null. */
    public String getNote() {
        return note;
    }

    @Override
    public String toString() {
        return (supports ? "+" : "-") + weight + " " + fact + "=" + value + " (" + cause + ")";
    }
}
