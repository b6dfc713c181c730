package dev.minsky.doctor.engine;

/** A cause whose gate conditions hold: its evidence is now weighed. */
public final class CauseHit {
    private final String cause;

    public CauseHit(String cause) {
        this.cause = cause;
    }

    public String getCause() {
        return cause;
    }

    @Override
    public String toString() {
        return "CauseHit(" + cause + ")";
    }
}
