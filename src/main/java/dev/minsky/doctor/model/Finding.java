package dev.minsky.doctor.model;

import java.util.List;

/**
 * A cause the doctor believes is present, with what it believes it from.
 *
 * @param cause the cause id from the catalogue, e.g. sqlite.stale-wal
 * @param code the guide's error code (SQLITE_BUSY, ENOENT, 28P01...) or null
 * @param severity error, warning or info
 * @param confidence 0..1, computed from the evidence
 * @param title one line
 * @param area json, sqlite, postgres, config, store, sessions, perf or backup (for the one-line-per-area view)
 * @param evidence facts for and against
 * @param remediations fixes in the order they should be tried
 */
public record Finding(String cause, String code, Severity severity, double confidence, String title, String area,
                      List<Evidence> evidence, List<Remediation> remediations) {}
