package dev.minsky.doctor.fix;

import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.Remediation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One {@code doctor --fix} run: plan every finding's remediations in rank order, then apply them
 * one at a time, each checked by a fresh diagnosis and rolled back from the journal when it did
 * not remove its cause or lost a session.
 *
 * <p>This class puts the parts together, in rounds (a fix may bring up more to do); each part has
 * its own class: {@link FixPlanning} (what is tried, what is skipped and why), {@link GuardedStep}
 * (one step under journal, backup, check and rollback), {@link FixLedger} (what was done: the
 * report's {@code applied}) and {@link FixConsole} (the human output and the consent question).
 */
final class FixRun {
    private static final int MAX_ROUNDS = 4;

    private final Fixer.Options options;
    private final Supplier<DoctorReport> rediagnose;
    private final FixConsole console;
    private final FixLedger ledger;
    private final GuardedStep step;
    private final FixPlanning planning;
    private DoctorReport latest;

    FixRun(DoctorEnv env, Fixer.Options options, Supplier<DoctorReport> rediagnose, Map<String, RemediationAction> actions) {
        this.options = options;
        this.rediagnose = rediagnose;
        this.console = new FixConsole(env, options, actions, this::settings);
        this.ledger = new FixLedger(env, console);
        this.step = new GuardedStep(env, options, rediagnose, ledger, console);
        this.planning = new FixPlanning(env, options, actions, this::settings, console);
    }

    private Settings settings() {
        return step.settings();
    }

    DoctorReport run(DoctorReport report) {
        latest = report;
        List<Finding> findings = report.findings() == null ? List.of() : report.findings();
        planning.shown(findings);
        console.plan(findings, report);
        if (options.dryRun()) {
            for (Finding f : findings) {
                for (Remediation r : automatic(f)) {
                    ledger.dryRun(r, f);
                }
            }
            return report.withFixes(ledger.entries(), null);
        }
        try {
            applyAll();
        } finally {
            step.close();
        }
        DoctorReport after = step.rediagnosed() ? latest : rediagnose.get();
        console.summary(ledger.entries(), step.journalId(), after);
        return report.withFixes(ledger.entries(), after);
    }

    private void applyAll() {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Finding> todo = planning.round(latest);
            if (todo.isEmpty()) {
                break;
            }
            if (round > 0) {
                console.say("");
                console.say("After those fixes the doctor found more to do:");
                console.plan(todo, latest);
            }
            for (Finding planned : todo) {
                Finding f = FixPlanning.current(latest, planned.cause());
                if (f == null) {
                    planning.handled(planned.cause());
                    console.say("  " + planned.cause() + ": gone after the fixes before it");
                    continue;
                }
                if (!f.fixAfter().isEmpty()) {
                    skipBlocked(f);
                    continue;
                }
                planning.handled(f.cause());
                fixFinding(f);
            }
        }
    }

    /** The finding waits for the causes it comes after: none of its steps is attempted. */
    private void skipBlocked(Finding f) {
        String why = planning.block(f, latest);
        console.say("");
        console.say(f.cause() + ":");
        for (Remediation rem : automatic(f)) {
            ledger.record(rem, f, FixResult.SKIPPED, null, why, null);
        }
    }

    private void fixFinding(Finding f) {
        DoctorReport before = latest;
        List<GuardedStep.Attempt> kept = new ArrayList<>();
        console.say("");
        console.say(f.cause() + ":");
        for (Remediation rem : automatic(f)) {
            FixPlanning.Decision d = planning.decide(f, rem, latest);
            if (d instanceof FixPlanning.Skip skip) {
                ledger.record(rem, f, skip.result(), null, skip.detail(), null);
                if (skip.last()) {
                    return;
                }
                continue;
            }
            GuardedStep.Attempt a = step.attempt(f, rem, (FixPlanning.Apply) d);
            if (a == null) {
                continue;
            }
            latest = a.after();
            if (a.outcome() == GuardedStep.Outcome.FIXED) {
                return;
            }
            kept.add(a);
        }
        if (!kept.isEmpty()) {
            step.rollBack(kept, "the cause " + f.cause() + " was still there afterwards");
            latest = before;
        }
    }

    static List<Remediation> automatic(Finding f) {
        return FixPlanning.automatic(f);
    }

    /** See {@link GuardedStep#restoreRecords}; {@code --undo} puts records back the same way. */
    static void restoreRecords(Journal.Step step, ActionPlan plan, Settings s) {
        GuardedStep.restoreRecords(step, plan, s);
    }

    static String message(Throwable e) {
        if (e instanceof MinskyException me) {
            return me.getMessage() + (me.hint() != null ? " (" + me.hint() + ")" : "");
        }
        return String.valueOf(e.getMessage() != null ? e.getMessage() : e);
    }
}
