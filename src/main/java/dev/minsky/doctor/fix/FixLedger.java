package dev.minsky.doctor.fix;

import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.AppliedFix;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.Remediation;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code doctor --fix} run did, one entry a remediation in the order they were tried: the
 * report's {@code applied} (the JSON output). A later rollback amends an entry in place.
 */
final class FixLedger {
    private final DoctorEnv env;
    private final FixConsole console;
    private final List<AppliedFix> applied = new ArrayList<>();

    FixLedger(DoctorEnv env, FixConsole console) {
        this.env = env;
        this.console = console;
    }

    /** Records one outcome (the detail scrubbed of secrets), prints it when skipped; returns its index. */
    int record(Remediation rem, Finding f, FixResult result, String backup, String detail, String journalId) {
        applied.add(new AppliedFix(rem.id(), f.cause(), result.json(), backup, env.log().scrub(detail), journalId));
        console.skipped(rem, result, detail);
        return applied.size() - 1;
    }

    /** A dry run's entry: nothing printed, since the plan said it all. */
    void dryRun(Remediation rem, Finding f) {
        applied.add(new AppliedFix(rem.id(), f.cause(), FixResult.SKIPPED.json(), null, "dry run: nothing was changed", null));
    }

    /** Marks the entry at {@code index} rolled back with this detail; returns the entry as it was. */
    AppliedFix rolledBack(int index, String detail) {
        AppliedFix old = applied.get(index);
        applied.set(index, new AppliedFix(old.remediation(), old.cause(), FixResult.ROLLED_BACK.json(), old.backup(), detail, old.journalId()));
        return old;
    }

    List<AppliedFix> entries() {
        return List.copyOf(applied);
    }
}
