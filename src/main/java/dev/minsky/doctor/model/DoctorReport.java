package dev.minsky.doctor.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The {@code doctor --json} document (schemaVersion 1). Fields are a contract with scripts: add,
 * never rename.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DoctorReport(int schemaVersion, String backend, String store, boolean healthy, List<Finding> findings,
                           List<ProbeRun> probes, List<Fact> facts, List<AppliedFix> applied, DoctorReport after,
                           List<PlaybookError> playbookErrors) {

    /** The document without playbook errors (the form before they were added). */
    public DoctorReport(int schemaVersion, String backend, String store, boolean healthy, List<Finding> findings,
                        List<ProbeRun> probes, List<Fact> facts, List<AppliedFix> applied, DoctorReport after) {
        this(schemaVersion, backend, store, healthy, findings, probes, facts, applied, after, null);
    }

    public static boolean healthy(List<Finding> findings) {
        return findings.stream().noneMatch(f -> f.severity() == Severity.ERROR || f.severity() == Severity.WARNING);
    }

    public DoctorReport withFixes(List<AppliedFix> applied, DoctorReport after) {
        return new DoctorReport(schemaVersion, backend, store, healthy, findings, probes, facts, applied, after, playbookErrors);
    }
}
