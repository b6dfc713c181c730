package dev.minsky.doctor.model;

/**
 * How one probe went.
 *
 * @param id the probe id
 * @param status ok, failed, timeout or skipped
 * @param millis how long it took
 * @param detail why it failed or was skipped (null when ok)
 */
public record ProbeRun(String id, String status, long millis, String detail) {}
