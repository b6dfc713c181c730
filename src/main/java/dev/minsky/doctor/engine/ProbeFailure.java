package dev.minsky.doctor.engine;

/** A probe that could not run ({@code probe.<id>.failed = true}). */
public final class ProbeFailure {
    private final String probe;

    public ProbeFailure(String probe) {
        this.probe = probe;
    }

    public String getProbe() {
        return probe;
    }
}
