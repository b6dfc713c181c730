package dev.minsky.doctor.model;

/**
 * How one probe went.
 *
 * @param id the probe id
 * @param status ok, failed, timeout or skipped: {@link ProbeStatus#json()} (see {@link #probeStatus()})
 * @param millis how long it took
 * @param detail why it failed or was skipped (null when ok)
 */
public record ProbeRun(String id, String status, long millis, String detail) {
    /** The status as one of the closed set, null for a string this minsky does not know. */
    public ProbeStatus probeStatus() {
        return ProbeStatus.of(status);
    }
}
