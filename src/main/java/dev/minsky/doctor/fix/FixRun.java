package dev.minsky.doctor.fix;

import dev.minsky.MinskyException;
import dev.minsky.backup.Backups;
import dev.minsky.config.Settings;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.AppliedFix;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.Remediation;
import dev.minsky.doctor.model.Safety;
import dev.minsky.model.SessionRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One {@code doctor --fix} run: plan every finding's remediations in rank order, then apply them
 * one at a time, each checked by a fresh diagnosis and rolled back from the journal when it did
 * not remove its cause or lost a session.
 */
final class FixRun {
    static final FixResult APPLIED = FixResult.APPLIED;
    static final FixResult SKIPPED = FixResult.SKIPPED;
    static final FixResult FAILED = FixResult.FAILED;
    static final FixResult ROLLED_BACK = FixResult.ROLLED_BACK;
    private static final int MAX_ROUNDS = 4;

    private enum Outcome { FIXED, STILL_THERE }

    private final DoctorEnv env;
    private final Fixer.Options options;
    private final Supplier<DoctorReport> rediagnose;
    private final Map<String, RemediationAction> actions;
    private final PrintStream out;
    private final List<AppliedFix> applied = new ArrayList<>();
    private final Set<String> handled = new HashSet<>();
    /** Findings not attempted because others had to be fixed first, with those others at the time. */
    private final Map<String, List<String>> blocked = new java.util.HashMap<>();
    /** The causes of the diagnosis the user asked to fix (the plan printed first). */
    private final Set<String> initial = new HashSet<>();
    private Journal journal;
    private dev.minsky.util.FileLocks.Held lock;
    private DoctorReport latest;
    private boolean rediagnosed;
    private boolean configChanged;
    private BufferedReader stdin;

    FixRun(DoctorEnv env, Fixer.Options options, Supplier<DoctorReport> rediagnose, Map<String, RemediationAction> actions) {
        this.env = env;
        this.options = options;
        this.rediagnose = rediagnose;
        this.actions = actions;
        this.out = options.json() ? null : env.ctx().out();
    }

    /** The settings in force now: re-read from disk once a fix changed the config. */
    private Settings settings() {
        return configChanged ? Fixer.reloaded(env).settings() : env.settings();
    }

    DoctorReport run(DoctorReport report) {
        latest = report;
        List<Finding> findings = report.findings() == null ? List.of() : report.findings();
        findings.forEach(f -> initial.add(f.cause()));
        printPlan(findings, report);
        if (options.dryRun()) {
            for (Finding f : findings) {
                for (Remediation r : automatic(f)) {
                    applied.add(new AppliedFix(r.id(), f.cause(), SKIPPED.json(), null, "dry run: nothing was changed", null));
                }
            }
            return report.withFixes(List.copyOf(applied), null);
        }
        try {
            applyAll();
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
        DoctorReport after = rediagnosed ? latest : rediagnose.get();
        printSummary(after);
        return report.withFixes(List.copyOf(applied), after);
    }

    private void applyAll() {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Finding> todo = new ArrayList<>();
            for (Finding f : latest.findings() == null ? List.<Finding>of() : latest.findings()) {
                // A blocked finding is tried again once what blocked it changed (fixed, or another surfaced).
                if (!handled.contains(f.cause()) && !automatic(f).isEmpty()
                        && !f.fixAfter().equals(blocked.get(f.cause()))) {
                    todo.add(f);
                }
            }
            if (todo.isEmpty()) {
                break;
            }
            if (round > 0) {
                say("");
                say("After those fixes the doctor found more to do:");
                printPlan(todo, latest);
            }
            for (Finding planned : todo) {
                Finding f = current(planned.cause());
                if (f == null) {
                    handled.add(planned.cause());
                    say("  " + planned.cause() + ": gone after the fixes before it");
                    continue;
                }
                if (!f.fixAfter().isEmpty()) {
                    skipBlocked(f);
                    continue;
                }
                handled.add(planned.cause());
                blocked.remove(f.cause());
                fixFinding(f);
            }
        }
    }

    /**
     * The finding's fixes cannot work while the causes it comes after are there (the playbook's
     * {@code after}): they were tried first and are still there (a manual fix, a failed or skipped
     * one), so its steps are not attempted; the output says what to do first.
     */
    private void skipBlocked(Finding f) {
        blocked.put(f.cause(), f.fixAfter());
        String first = String.join(", ", f.fixAfter());
        String what = firstStep(f.fixAfter());
        say("");
        say(f.cause() + ":");
        for (Remediation rem : automatic(f)) {
            record(rem, f, SKIPPED, null, "not attempted: it cannot work until " + first + " is fixed"
                    + (what == null ? "" : "; first: " + what) + "; then run 'minsky doctor --fix' again", null);
        }
    }

    /** What to do about the first of these causes that is still found: its first remediation, by hand when it has a command. */
    private String firstStep(List<String> causes) {
        for (String c : causes) {
            Finding b = current(c);
            if (b == null || b.remediations() == null || b.remediations().isEmpty()) {
                continue;
            }
            Remediation r = b.remediations().get(0);
            return r.summary() + (r.command() == null ? "" : " ($ " + r.command() + ")");
        }
        return null;
    }

    private Finding current(String cause) {
        if (latest.findings() == null) {
            return null;
        }
        return latest.findings().stream().filter(f -> f.cause().equals(cause)).findFirst().orElse(null);
    }

    static List<Remediation> automatic(Finding f) {
        if (f.remediations() == null) {
            return List.of();
        }
        return f.remediations().stream().filter(r -> r.safety() == Safety.SAFE || r.safety() == Safety.REVERSIBLE).toList();
    }

    /** A record of one attempt and its place in {@link #applied}, so that a later rollback can amend it. */
    private record Attempt(int index, Journal.Step step, RemediationAction action, ActionPlan plan, FixContext ctx, Outcome outcome) {}

    private void fixFinding(Finding f) {
        DoctorReport before = latest;
        List<Attempt> kept = new ArrayList<>();
        say("");
        say(f.cause() + ":");
        for (Remediation rem : automatic(f)) {
            RemediationAction action = actions.get(rem.id());
            if (action == null) {
                record(rem, f, SKIPPED, null, "this minsky has no implementation of " + rem.id()
                        + (rem.command() != null ? "; by hand: " + rem.command() : ""), null);
                continue;
            }
            if (action.safety() != Safety.SAFE && action.safety() != Safety.REVERSIBLE) {
                // a playbook may call it safe, but the implementation says otherwise: believe the stricter one
                record(rem, f, SKIPPED, null, "the action " + rem.id() + " says it is " + action.safety().json()
                        + ": never applied by minsky" + (rem.command() != null ? "; by hand: " + rem.command() : ""), null);
                continue;
            }
            FixContext ctx = new DoctorFixContext(env, settings(), latest, f, rem, options.progress());
            ActionPlan plan;
            try {
                plan = action.plan(ctx);
            } catch (RuntimeException e) {
                record(rem, f, FAILED, null, "could not plan it: " + message(e), null);
                continue;
            }
            if (!plan.applicable()) {
                record(rem, f, SKIPPED, null, "not applicable: " + plan.reason(), null);
                continue;
            }
            if (!plan.keepsSessions() && !initial.contains(f.cause())) {
                // Removing sessions needs a plan the user saw: not one that only surfaced after other fixes.
                record(rem, f, SKIPPED, null, "it removes sessions and was not part of the plan shown first; "
                        + "run 'minsky doctor --fix --dry-run' to see it, then 'minsky doctor --fix --yes'", null);
                return;
            }
            Safety safety = action.safety() == Safety.REVERSIBLE || rem.safety() == Safety.REVERSIBLE ? Safety.REVERSIBLE : Safety.SAFE;
            if (safety == Safety.REVERSIBLE && !options.yes() && !confirm(rem, plan)) {
                record(rem, f, SKIPPED, null, "reversible: it changes data, so it is only applied with consent; "
                        + "run 'minsky doctor --fix --yes' to apply it", null);
                // Do not fall through to a later alternative (e.g. an empty new store instead of the backup).
                // Steps already applied for this finding stay: they are safe (a backup, a directory) and
                // the skipped one may be applied later with --yes.
                return;
            }
            Attempt a = attempt(f, rem, action, plan, ctx, safety);
            if (a == null) {
                continue;
            }
            Outcome o = a.outcome();
            if (o == Outcome.FIXED) {
                return;
            }
            if (o == Outcome.STILL_THERE) {
                kept.add(a);
            }
        }
        if (!kept.isEmpty()) {
            rollBack(kept, "the cause " + f.cause() + " was still there afterwards");
            latest = before;
        }
    }

    private Attempt attempt(Finding f, Remediation rem, RemediationAction action, ActionPlan plan, FixContext ctx, Safety safety) {
        Settings s = ctx.settings();
        String label = "[" + safety.json() + "] " + rem.id();
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
                record(rem, f, FAILED, null, message(e), null);
                say("  failed   " + label + ": " + message(e));
                return null;
            }
        }
        Journal.Step step;
        try {
            step = journal.begin(rem.id(), f.cause(), safety.json(), plan);
        } catch (MinskyException e) {
            record(rem, f, FAILED, null, message(e), journal.id());
            say("  failed   " + label + ": " + message(e));
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
                    String why = "cannot back the store up first (" + message(e) + "); nothing was changed";
                    step.finish(FAILED, why, null);
                    record(rem, f, FAILED, null, why, journal.id());
                    say("  failed   " + label + ": " + why);
                    return null;
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
                        String why = message(e);
                        step.finish(FAILED, why, null);
                        record(rem, f, FAILED, null, why, journal.id());
                        say("  failed   " + label + ": " + why);
                        return null;
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
            String why = message(e) + restore(step, action, plan, ctx);
            step.finish(FAILED, why, null);
            record(rem, f, FAILED, backup, why, journal.id());
            say("  failed   " + label + ": " + why);
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
            step.finish(ROLLED_BACK, why, null);
            record(rem, f, ROLLED_BACK, backup, why, journal.id());
            say("  rolled back " + label + ": " + why);
            log("fix rolled back " + rem.id() + " for " + f.cause() + ": " + why);
            return null;
        }
        DoctorReport after;
        try {
            after = rediagnose.get();
            rediagnosed = true;
        } catch (RuntimeException e) {
            String why = "could not diagnose again to check it (" + message(e) + ")" + restore(step, action, plan, ctx);
            step.finish(ROLLED_BACK, why, null);
            record(rem, f, ROLLED_BACK, backup, why, journal.id());
            say("  rolled back " + label + ": " + why);
            return null;
        }
        latest = after;
        boolean still = after.findings() != null && after.findings().stream().anyMatch(x -> x.cause().equals(f.cause()));
        step.finish(APPLIED, result.detail(), names);
        int index = record(rem, f, APPLIED, backup, result.detail(), journal.id());
        say("  applied  " + label + ": " + result.detail());
        log("fix applied " + rem.id() + " for " + f.cause() + " (journal " + journal.id() + "): " + result.detail());
        Attempt a = new Attempt(index, step, action, plan, ctx, still ? Outcome.STILL_THERE : Outcome.FIXED);
        if (still) {
            say("           the cause is still there: going on with the next remediation for it");
        }
        return a;
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

    private void rollBack(List<Attempt> attempts, String why) {
        for (int i = attempts.size() - 1; i >= 0; i--) {
            Attempt a = attempts.get(i);
            String detail = why + restore(a.step(), a.action(), a.plan(), a.ctx());
            a.step().finish(ROLLED_BACK, detail, null);
            AppliedFix old = applied.get(a.index());
            applied.set(a.index(), new AppliedFix(old.remediation(), old.cause(), ROLLED_BACK.json(), old.backup(), detail, old.journalId()));
            say("  rolled back " + old.remediation() + ": " + detail);
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
            return "; RESTORING FAILED: " + message(e) + " (the copies are in " + step.copies() + ")";
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

    private int record(Remediation rem, Finding f, FixResult result, String backup, String detail, String journalId) {
        applied.add(new AppliedFix(rem.id(), f.cause(), result.json(), backup, env.log().scrub(detail), journalId));
        if (result == SKIPPED && !detail.startsWith("not applicable")) {
            // not-applicable ones were shown in the plan already
            say("  skipped  [" + rem.safety().json() + "] " + rem.id() + ": " + env.log().scrub(detail));
        }
        return applied.size() - 1;
    }

    private boolean confirm(Remediation rem, ActionPlan plan) {
        if (!env.ctx().interactive()) {
            return false;
        }

        options.progress().clear();
        PrintStream p = options.json() ? env.ctx().err() : env.ctx().out();
        p.print("Apply " + rem.id() + " (" + rem.summary() + ")? It changes data; a verified backup is taken first and "
                + "'minsky doctor --undo' reverses it. [y/N] ");
        p.flush();
        try {
            if (stdin == null) {
                stdin = new BufferedReader(new InputStreamReader(env.ctx().in(), StandardCharsets.UTF_8));
            }
            String line = stdin.readLine();
            return line != null && List.of("y", "yes").contains(line.trim().toLowerCase(Locale.ROOT));
        } catch (IOException e) {
            return false;
        }
    }

    private void printPlan(List<Finding> findings, DoctorReport report) {
        if (out == null) {
            return;
        }
        if (findings.isEmpty()) {
            say("Nothing to fix: the doctor found no problem.");
            return;
        }
        say(options.dryRun() ? "Plan (dry run: nothing will be changed):" : "Plan:");
        Settings s = settings();
        int i = 1;
        for (Finding f : findings) {
            say(String.format("%2d. %s (%s): %s", i++, f.cause(), f.severity() == null ? "?" : f.severity().json(), f.title()));
            if (!f.fixAfter().isEmpty()) {
                say("      after fixing " + String.join(", ", f.fixAfter()) + " (its fixes cannot work before)");
            }
            if (f.remediations() == null || f.remediations().isEmpty()) {
                say("      no remediation known");
                continue;
            }
            for (Remediation r : f.remediations()) {
                printRemediation(f, r, report, s);
            }
        }
    }

    private void printRemediation(Finding f, Remediation r, DoctorReport report, Settings s) {
        String head = "      [" + r.safety().json() + "] " + r.id() + ": " + r.summary();
        switch (r.safety()) {
            case MANUAL -> {
                say(head);
                if (r.command() != null) {
                    say("          by hand: " + r.command());
                }
            }
            case DESTRUCTIVE -> {
                say(head + " (never applied by minsky)");
                if (r.command() != null) {
                    say("          by hand, only if you accept the loss: " + r.command());
                }
                say("          WARNING: " + (r.warning() != null ? r.warning()
                        : "this can lose sessions; take a backup first ('minsky sessiondb export --all --format json > backup.json')"));
            }
            default -> {
                say(head + (r.safety() == Safety.REVERSIBLE && !options.yes() ? " (needs --yes or your consent)" : ""));
                RemediationAction a = actions.get(r.id());
                if (a == null) {
                    say("          not implemented in this minsky" + (r.command() != null ? "; by hand: " + r.command() : ""));
                    return;
                }
                ActionPlan p;
                try {
                    p = a.plan(new DoctorFixContext(env, s, report, f, r));
                } catch (RuntimeException e) {
                    say("          cannot plan it: " + message(e));
                    return;
                }
                if (!p.applicable()) {
                    say("          not applicable: " + p.reason());
                    return;
                }
                String jdir = Journal.root(s.stateDir()) + "/<id>/";
                List<String> existing = p.files().stream().filter(java.nio.file.Files::exists).map(Object::toString).toList();
                if (!existing.isEmpty()) {
                    say("          first: copy " + String.join(", ", existing) + " into " + jdir + " (verified)");
                }
                if (p.changesRecords()) {
                    say("          first: a verified backup of the sessions into " + s.backupsDir() + "/");
                }
                for (String c : p.changes()) {
                    say("          " + env.log().scrub(c));
                }
                say("          then: diagnose again; roll back if the cause is still there"
                        + (p.keepsSessions() ? " or a session was lost" : ""));
            }
        }
    }

    private void printSummary(DoctorReport after) {
        if (out == null) {
            return;
        }
        long n = applied.stream().filter(a -> FixResult.of(a.result()) == APPLIED).count();
        say("");
        if (n > 0 && journal != null) {
            say("Applied " + n + " fix" + (n == 1 ? "" : "es") + ". Undo with: minsky doctor --undo " + journal.id());
        } else {
            say("No fix was applied.");
        }
        if (applied.stream().anyMatch(a -> FixResult.of(a.result()) == SKIPPED && a.detail().startsWith("reversible"))) {
            say("Some fixes change data and need consent: minsky doctor --fix --yes");
        }
        if (after != null) {
            List<Finding> left = after.findings() == null ? List.of() : after.findings();
            if (left.isEmpty()) {
                say("The doctor finds nothing wrong now.");
            } else {
                say("Still found (" + left.size() + "):");
                for (Finding f : left) {
                    say("  " + f.cause() + ": " + f.title());
                }
            }
        }
    }

    private void say(String line) {
        if (out != null) {
            options.progress().clear();
            out.println(line);
        }
    }

    private void log(String line) {
        env.log().info("doctor", line);
    }

    static String message(Throwable e) {
        if (e instanceof MinskyException me) {
            return me.getMessage() + (me.hint() != null ? " (" + me.hint() + ")" : "");
        }
        return String.valueOf(e.getMessage() != null ? e.getMessage() : e);
    }
}
