package dev.minsky.doctor.model;

/**
 * One remediation that {@code doctor --fix} tried.
 *
 * @param remediation the action id
 * @param cause the cause it was for
 * @param result applied, skipped, failed or rolled-back ({@code doctor.fix.FixResult#json()})
 * @param backup the backup it took first (null if none was needed)
 * @param detail what it did or why it did not
 * @param journalId the id {@code doctor --undo} takes (null when nothing was changed)
 */
public record AppliedFix(String remediation, String cause, String result, String backup, String detail, String journalId) {}
