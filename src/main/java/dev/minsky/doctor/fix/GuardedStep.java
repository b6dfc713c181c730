package dev.minsky.doctor.fix;

import dev.minsky.MinskyException;
import dev.minsky.backup.Backups;
import dev.minsky.config.Settings;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.AppliedFix;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.Remediation;
import dev.minsky.model.SessionRecord;
import dev.minsky.util.FileLocks;
import java.util.List;
import java.util.function.Supplier;

/**
 * Applies one remediation at a time under guard: the journal entry and verified copies of its
 * files first (and a verified backup of the records when they change), then the action, then the
 * check (the sessions counted, a fresh diagnosis), and the state before it put back from the
 * journal when the action failed or lost sessions. The steps of one run share one journal, written
 * and locked at the first step.
 */
final class GuardedStep {
    enum Outcome { FIXED, STILL_THERE }

    /**
     * An applied step and its place in the {@link FixLedger}, so that a later rollback can amend
     * it; {@code after} is the diagnosis that checked it.
     */
    record Attempt(int index, Journal.Step step, RemediationAction action, ActionPlan plan, FixContext ctx, Outcome outcome,
                   DoctorReport after) {}

    private final DoctorEnv env;
    private final Fixer.Options options;
    private final Supplier<DoctorReport> rediagnose;
    private final FixLedger ledger;
    private final FixConsole console;
    private Journal journal;
    private FileLocks.Held lock;
    private boolean rediagnosed;
    private boolean configChanged;

    GuardedStep(DoctorEnv env, Fixer.Options options, Supplier<DoctorReport> rediagnose, FixLedger ledger, FixConsole console) {
        this.env = env;
        this.options = options;
        this.rediagnose = rediagnose;
        this.ledger = ledger;
        this.console = console;
    }

    /** The settings in force now: re-read from disk once a fix changed the config. */
    Settings settings() {
        return configChanged ? Fixer.reloaded(env).settings() : env.settings();
    }

    /** Whether a step diagnosed again (so the latest diagnosis is fresh). */
    boolean rediagnosed() {
        return rediagnosed;
    }

    /** The run's journal id, null when no step got as far as writing one. */
    String journalId() {
        return journal == null ? null : journal.id();
    }

    /** Releases the journal lock taken by the first step. */
    void close() {
        if (lock != null) {
            lock.close();
        }
    }

    /** Applies it and checks it; null when it failed or was rolled back (recorded and printed here). */
    Attempt attempt(Finding f, Remediation rem, FixPlanning.Apply go) {
        RemediationAction action = go.action();
        ActionPlan plan = go.plan();
        FixContext ctx = go.ctx();
        Settings s = ctx.settings();
        String label = "[" + go.safety().json() + "] " + rem.id();
        options.progress().phase("fixing " + f.cause() + ": " + label + " (journal and backup first)");
        if (journal == null) {
            try {
                // The journal first: when even that cannot be written (read-only, full), not a byte is left behind.
                Journal j = Journal.create(s.stateDir(), env.ctx().clock());
                try {
                    lock = Journal.lock(s.stateDir());
                } catch (MinskyException e) {
                    j.discard();
                    throw e;
                }
                journal = j;
            } catch (MinskyException e) {
                ledger.record(rem, f, FixResult.FAILED, null, FixRun.message(e), null);
                console.say("  failed   " + label + ": " + FixRun.message(e));
                return null;
            }
        }
        Journal.Step step;
        try {
            step = journal.begin(rem.id(), f.cause(), go.safety().json(), plan);
        } catch (MinskyException e) {
            ledger.record(rem, f, FixResult.FAILED, null, FixRun.message(e), journal.id());
            console.say("  failed   " + label + ": " + FixRun.message(e));
            return null;
        }
        String backup = step.copiedAny() ? step.copies().toString() : null;
        long before = -1;
        if (plan.changesRecords()) {
            List<SessionRecord> records = null;
            try {
                records = StoreState.readAll(s, options.progress());
            } catch (RuntimeException e) {
                if (plan.files().isEmpty()) {
                    String why = "cannot back the store up first (" + FixRun.message(e) + "); nothing was changed";
                    return failed(f, rem, label, step, null, why);
                }
                // The store cannot be read as records: the verified copies of its files are the backup.
            }
            if (records != null) {
                before = records.size();
                if (records.isEmpty()) {
                    step.recordsEmpty();
                } else {
                    try {
                        backup = reusableBackup(s, records, options.progress());
                        if (backup == null) {
                            backup = Backups.write(s, records, env.ctx().clock(), options.progress()).file().toString();
                        }
                        step.backup(backup);
                    } catch (MinskyException e) {
                        return failed(f, rem, label, step, null, FixRun.message(e));
                    }
                }
            }
        }
        RemediationAction.Applied result;
        long stepStart = System.nanoTime();
        env.log().debug("doctor", "fix step start: " + rem.id() + " (" + rem.safety().json() + ") for " + f.cause()
                + " (journal " + journal.id() + ")");
        options.progress().phase("fixing " + f.cause() + ": " + label + " (applying)");
        try {
            result = action.apply(ctx, plan);
            env.log().debug("doctor", "fix step end: " + rem.id() + " for " + f.cause() + " in "
                    + (System.nanoTime() - stepStart) / 1_000_000 + " ms: " + result.detail());
        } catch (RuntimeException e) {
            String why = FixRun.message(e) + restore(step, action, plan, ctx);
            failed(f, rem, label, step, backup, why);
            log("fix failed " + rem.id() + " for " + f.cause() + ": " + why);
            return null;
        }
        if (plan.files().stream().anyMatch(p -> p.equals(env.ctx().paths().userConfigFile()))) {
            configChanged = true;
        }
        // The sessions are counted before the diagnosis, not after: reading them opens the store, which
        // can change it (SQLite checkpoints a WAL on the last close once a chmod lets it write), and the
        // diagnosis that decides what to do next must describe the store as it is after that read.
        Settings now = settings();
        long promised = Math.max(result.promisedSessions(), plan.keepsSessions() ? before : -1);
        options.progress().phase("fixing " + f.cause() + ": " + label + " (counting the sessions after it)");
        List<String> names = StoreState.names(now);
        if (plan.keepsSessions() && promised >= 0 && (names == null || names.size() < promised)) {
            String why = "the store held " + (names == null ? "no readable" : Integer.toString(names.size())) + " sessions afterwards, "
                    + promised + " expected" + restore(step, action, plan, ctx);
            rolledBack(f, rem, label, step, backup, why);
            log("fix rolled back " + rem.id() + " for " + f.cause() + ": " + why);
            return null;
        }
        DoctorReport after;
        try {
            after = rediagnose.get();
            rediagnosed = true;
        } catch (RuntimeException e) {
            String why = "could not diagnose again to check it (" + FixRun.message(e) + ")" + restore(step, action, plan, ctx);
            rolledBack(f, rem, label, step, backup, why);
            return null;
        }
        boolean still = after.findings() != null && after.findings().stream().anyMatch(x -> x.cause().equals(f.cause()));
        step.finish(FixResult.APPLIED, result.detail(), names);
        int index = ledger.record(rem, f, FixResult.APPLIED, backup, result.detail(), journal.id());
        console.say("  applied  " + label + ": " + result.detail());
        log("fix applied " + rem.id() + " for " + f.cause() + " (journal " + journal.id() + "): " + result.detail());
        Attempt a = new Attempt(index, step, action, plan, ctx, still ? Outcome.STILL_THERE : Outcome.FIXED, after);
        if (still) {
            console.say("           the cause is still there: going on with the next remediation for it");
        }
        return a;
    }

    /** Ends the step as failed: journal, ledger, a line. Returns null, the attempt's result. */
    private Attempt failed(Finding f, Remediation rem, String label, Journal.Step step, String backup, String why) {
        step.finish(FixResult.FAILED, why, null);
        ledger.record(rem, f, FixResult.FAILED, backup, why, journal.id());
        console.say("  failed   " + label + ": " + why);
        return null;
    }

    private void rolledBack(Finding f, Remediation rem, String label, Journal.Step step, String backup, String why) {
        step.finish(FixResult.ROLLED_BACK, why, null);
        ledger.record(rem, f, FixResult.ROLLED_BACK, backup, why, journal.id());
        console.say("  rolled back " + label + ": " + why);
    }

    private void log(String line) {
        env.log().info("doctor", line);
    }

    /**
     * The newest backup when it holds exactly these records (one was just taken, e.g. by the
     * backup.create step a playbook puts first): read back and compared, so it is as good as a new one.
     */
    private static String reusableBackup(Settings s, List<SessionRecord> records, dev.minsky.store.Progress progress) {
        var newest = Backups.newest(s);
        if (newest.isEmpty() || newest.get().sessions() != records.size()) {
            return null;
        }
        try {
            Backups.verify(newest.get().file(), records, progress);
            return newest.get().file().toString();
        } catch (MinskyException e) {
            return null;
        }
    }

    /** Rolls these applied steps back, newest first, and amends their ledger entries. */
    void rollBack(List<Attempt> attempts, String why) {
        for (int i = attempts.size() - 1; i >= 0; i--) {
            Attempt a = attempts.get(i);
            String detail = why + restore(a.step(), a.action(), a.plan(), a.ctx());
            a.step().finish(FixResult.ROLLED_BACK, detail, null);
            AppliedFix old = ledger.rolledBack(a.index(), detail);
            console.say("  rolled back " + old.remediation() + ": " + detail);
            log("fix rolled back " + old.remediation() + " for " + old.cause() + ": " + detail);
        }
        attempts.clear();
    }

    /** Puts the step's files back and undoes server-side changes; returns the text to append to the detail. */
    private String restore(Journal.Step step, RemediationAction action, ActionPlan plan, FixContext ctx) {
        try {
            step.restoreFiles();
            restoreRecords(step, plan, ctx.settings());
            action.undo(ctx, plan);
            return "; the state before it was restored from the journal " + journal.id();
        } catch (RuntimeException e) {
            return "; RESTORING FAILED: " + FixRun.message(e) + " (the copies are in " + step.copies() + ")";
        }
    }

    /**
     * For a store that is not a file (a server) the journal holds no copy: the records are put back
     * from the verified backup taken before the step.
     */
    static void restoreRecords(Journal.Step step, ActionPlan plan, Settings s) {
        if (!plan.files().isEmpty() || !plan.changesRecords()) {
            return;
        }
        List<SessionRecord> records;
        if (step.backup() != null) {
            records = dev.minsky.model.SessionJson.parseFile(java.nio.file.Path.of(step.backup()));
        } else if (step.recordsWereEmpty()) {
            records = List.of();
        } else {
            return;
        }
        try (dev.minsky.store.SessionStore store = dev.minsky.store.Stores.open(s, false)) {
            store.replaceAll(records);
        }
    }
}
