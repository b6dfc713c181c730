package dev.minsky.doctor.model;

/**
 * A fix for a cause.
 *
 * @param id the action id (implemented on the Java side, see docs/doctor-contract.md)
 * @param safety its safety class
 * @param summary one line a person reads
 * @param command the exact command or steps a person could run (may be null)
 * @param warning shown with destructive steps, e.g. that deleting a WAL file drops committed work (may be null)
 */
public record Remediation(String id, Safety safety, String summary, String command, String warning) {}
