package dev.minsky.doctor.engine;

/** A cause depends on what this probe observes: if the probe failed, the cause is less certain. */
public final class CauseProbe {
    private final String cause;
    private final String probe;

    public CauseProbe(String cause, String probe) {
        this.cause = cause;
        this.probe = probe;
    }

    public String getCause() {
        return cause;
    }

    public String getProbe() {
        return probe;
    }
}
