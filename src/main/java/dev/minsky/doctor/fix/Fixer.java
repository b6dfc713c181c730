package dev.minsky.doctor.fix;

import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.DoctorReport;
import java.util.function.Supplier;

/** {@code doctor --fix} and {@code --undo}. (Owned by the fix work.) */
public final class Fixer {
    /**
     * @param dryRun print the plan, change nothing
     * @param yes apply reversible remediations without asking
     * @param json the caller prints JSON: print no human progress
     */
    public record Options(boolean dryRun, boolean yes, boolean json) {}

    private Fixer() {}

    /**
     * Plans and applies remediations for the report's findings; returns the report with
     * {@code applied} and {@code after} (the diagnosis run again through {@code rediagnose}).
     */
    public static DoctorReport fix(DoctorEnv env, DoctorReport report, Options options, Supplier<DoctorReport> rediagnose) {
        throw new UnsupportedOperationException("--fix is not built yet");
    }

    /** Restores the state before a recorded fix (the newest when id is null); returns what was restored. */
    public static String undo(DoctorEnv env, String journalId) {
        throw new UnsupportedOperationException("--undo is not built yet");
    }
}
