package dev.minsky.doctor.model;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param fixAfter the other findings of the same diagnosis that must be fixed before this one (its
 *     playbook's {@code after}, followed through causes that were not found); they come before it
 *     in the ranking. Left out of the JSON when empty
 */
public record Finding(String cause, String code, Severity severity, double confidence, String title, String area,
                      List<Evidence> evidence, List<Remediation> remediations,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> fixAfter) {

    public Finding {
        fixAfter = fixAfter == null ? List.of() : List.copyOf(fixAfter);
    }

    /** A finding that waits for no other. */
    public Finding(String cause, String code, Severity severity, double confidence, String title, String area,
                   List<Evidence> evidence, List<Remediation> remediations) {
        this(cause, code, severity, confidence, title, area, evidence, remediations, List.of());
    }
}
