package dev.minsky.doctor.fix;

import dev.minsky.config.Settings;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.AppliedFix;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.Remediation;
import dev.minsky.doctor.model.Safety;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The human side of a {@code doctor --fix} run: the plan, a line per step, the summary, and the
 * consent question for a reversible step. With {@code --json} it prints nothing (the caller
 * prints the report), except the consent question, which then goes to standard error.
 */
final class FixConsole {
    private final DoctorEnv env;
    private final Fixer.Options options;
    private final Map<String, RemediationAction> actions;
    private final Supplier<Settings> settings;
    private final PrintStream out;
    private BufferedReader stdin;

    FixConsole(DoctorEnv env, Fixer.Options options, Map<String, RemediationAction> actions, Supplier<Settings> settings) {
        this.env = env;
        this.options = options;
        this.actions = actions;
        this.settings = settings;
        this.out = options.json() ? null : env.ctx().out();
    }

    void say(String line) {
        if (out != null) {
            options.progress().clear();
            out.println(line);
        }
    }

    /** The line for a skipped step; not-applicable ones were shown in the plan already. */
    void skipped(Remediation rem, FixResult result, String detail) {
        if (result == FixResult.SKIPPED && !detail.startsWith("not applicable")) {
            say("  skipped  [" + rem.safety().json() + "] " + rem.id() + ": " + env.log().scrub(detail));
        }
    }

    boolean confirm(Remediation rem, ActionPlan plan) {
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

    void plan(List<Finding> findings, DoctorReport report) {
        if (out == null) {
            return;
        }
        if (findings.isEmpty()) {
            say("Nothing to fix: the doctor found no problem.");
            return;
        }
        say(options.dryRun() ? "Plan (dry run: nothing will be changed):" : "Plan:");
        Settings s = settings.get();
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
                remediation(f, r, report, s);
            }
        }
    }

    private void remediation(Finding f, Remediation r, DoctorReport report, Settings s) {
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
                    say("          cannot plan it: " + FixRun.message(e));
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

    /** @param journalId the run's journal, null when no step got as far as writing one */
    void summary(List<AppliedFix> applied, String journalId, DoctorReport after) {
        if (out == null) {
            return;
        }
        long n = applied.stream().filter(a -> FixResult.of(a.result()) == FixResult.APPLIED).count();
        say("");
        if (n > 0 && journalId != null) {
            say("Applied " + n + " fix" + (n == 1 ? "" : "es") + ". Undo with: minsky doctor --undo " + journalId);
        } else {
            say("No fix was applied.");
        }
        if (applied.stream().anyMatch(a -> FixResult.of(a.result()) == FixResult.SKIPPED && a.detail().startsWith("reversible"))) {
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
}
