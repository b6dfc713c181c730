package dev.minsky.doctor.fix;

import dev.minsky.config.Settings;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.Remediation;
import dev.minsky.doctor.model.Safety;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The decisions of a {@code doctor --fix} run: which findings a round takes up, which wait for
 * others (the playbook's {@code after}), and for each remediation whether it is applied or skipped
 * and why. It changes nothing; {@link GuardedStep} applies what it lets through.
 */
final class FixPlanning {
    /** What to do with one remediation. */
    sealed interface Decision {}

    /**
     * Not applied, with the result and detail to record; {@code last}: the finding's later
     * remediations are not tried either (nor are its earlier ones rolled back).
     */
    record Skip(FixResult result, String detail, boolean last) implements Decision {}

    /** Applied through a guarded step, with the safety class it runs under. */
    record Apply(RemediationAction action, ActionPlan plan, FixContext ctx, Safety safety) implements Decision {}

    private final DoctorEnv env;
    private final Fixer.Options options;
    private final Map<String, RemediationAction> actions;
    private final Supplier<Settings> settings;
    private final FixConsole console;
    private final Set<String> handled = new HashSet<>();
    /** Findings not attempted because others had to be fixed first, with those others at the time. */
    private final Map<String, List<String>> blocked = new HashMap<>();
    /** The causes of the diagnosis the user asked to fix (the plan printed first). */
    private final Set<String> initial = new HashSet<>();

    FixPlanning(DoctorEnv env, Fixer.Options options, Map<String, RemediationAction> actions, Supplier<Settings> settings,
                FixConsole console) {
        this.env = env;
        this.options = options;
        this.actions = actions;
        this.settings = settings;
        this.console = console;
    }

    /** Remembers the findings of the plan shown first. */
    void shown(List<Finding> findings) {
        findings.forEach(f -> initial.add(f.cause()));
    }

    static List<Remediation> automatic(Finding f) {
        if (f.remediations() == null) {
            return List.of();
        }
        return f.remediations().stream().filter(r -> r.safety() == Safety.SAFE || r.safety() == Safety.REVERSIBLE).toList();
    }

    static Finding current(DoctorReport latest, String cause) {
        if (latest.findings() == null) {
            return null;
        }
        return latest.findings().stream().filter(f -> f.cause().equals(cause)).findFirst().orElse(null);
    }

    /** The findings this round takes up, in rank order; empty when there is nothing (more) to try. */
    List<Finding> round(DoctorReport latest) {
        List<Finding> todo = new ArrayList<>();
        for (Finding f : latest.findings() == null ? List.<Finding>of() : latest.findings()) {
            // A blocked finding is tried again once what blocked it changed (fixed, or another surfaced).
            if (!handled.contains(f.cause()) && !automatic(f).isEmpty()
                    && !f.fixAfter().equals(blocked.get(f.cause()))) {
                todo.add(f);
            }
        }
        return todo;
    }

    /** The finding was taken up (or is gone): later rounds leave it alone. */
    void handled(String cause) {
        handled.add(cause);
        blocked.remove(cause);
    }

    /**
     * The finding's fixes cannot work while the causes it comes after are there (the playbook's
     * {@code after}): they were tried first and are still there (a manual fix, a failed or skipped
     * one), so its steps are not attempted. Returns the detail that says what to do first.
     */
    String block(Finding f, DoctorReport latest) {
        blocked.put(f.cause(), f.fixAfter());
        String first = String.join(", ", f.fixAfter());
        String what = firstStep(f.fixAfter(), latest);
        return "not attempted: it cannot work until " + first + " is fixed"
                + (what == null ? "" : "; first: " + what) + "; then run 'minsky doctor --fix' again";
    }

    /** What to do about the first of these causes that is still found: its first remediation, by hand when it has a command. */
    private static String firstStep(List<String> causes, DoctorReport latest) {
        for (String c : causes) {
            Finding b = current(latest, c);
            if (b == null || b.remediations() == null || b.remediations().isEmpty()) {
                continue;
            }
            Remediation r = b.remediations().get(0);
            return r.summary() + (r.command() == null ? "" : " ($ " + r.command() + ")");
        }
        return null;
    }

    /**
     * Whether this remediation of the finding is applied, judged against the latest diagnosis. A
     * reversible one asks for consent (unless {@code --yes}) only when all else lets it through.
     */
    Decision decide(Finding f, Remediation rem, DoctorReport latest) {
        RemediationAction action = actions.get(rem.id());
        if (action == null) {
            return new Skip(FixResult.SKIPPED, "this minsky has no implementation of " + rem.id()
                    + (rem.command() != null ? "; by hand: " + rem.command() : ""), false);
        }
        if (action.safety() != Safety.SAFE && action.safety() != Safety.REVERSIBLE) {
            // a playbook may call it safe, but the implementation says otherwise: believe the stricter one
            return new Skip(FixResult.SKIPPED, "the action " + rem.id() + " says it is " + action.safety().json()
                    + ": never applied by minsky" + (rem.command() != null ? "; by hand: " + rem.command() : ""), false);
        }
        FixContext ctx = new DoctorFixContext(env, settings.get(), latest, f, rem, options.progress());
        ActionPlan plan;
        try {
            plan = action.plan(ctx);
        } catch (RuntimeException e) {
            return new Skip(FixResult.FAILED, "could not plan it: " + FixRun.message(e), false);
        }
        if (!plan.applicable()) {
            return new Skip(FixResult.SKIPPED, "not applicable: " + plan.reason(), false);
        }
        if (!plan.keepsSessions() && !initial.contains(f.cause())) {
            // Removing sessions needs a plan the user saw: not one that only surfaced after other fixes.
            return new Skip(FixResult.SKIPPED, "it removes sessions and was not part of the plan shown first; "
                    + "run 'minsky doctor --fix --dry-run' to see it, then 'minsky doctor --fix --yes'", true);
        }
        Safety safety = action.safety() == Safety.REVERSIBLE || rem.safety() == Safety.REVERSIBLE ? Safety.REVERSIBLE : Safety.SAFE;
        if (safety == Safety.REVERSIBLE && !options.yes() && !console.confirm(rem, plan)) {
            // Do not fall through to a later alternative (e.g. an empty new store instead of the backup).
            // Steps already applied for this finding stay: they are safe (a backup, a directory) and
            // the skipped one may be applied later with --yes.
            return new Skip(FixResult.SKIPPED, "reversible: it changes data, so it is only applied with consent; "
                    + "run 'minsky doctor --fix --yes' to apply it", true);
        }
        return new Apply(action, plan, ctx, safety);
    }
}
