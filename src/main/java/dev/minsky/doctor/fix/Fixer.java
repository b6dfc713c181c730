package dev.minsky.doctor.fix;

import dev.minsky.MinskyException;
import dev.minsky.config.ConfigKey;
import dev.minsky.config.ConfigService;
import dev.minsky.config.Settings;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.DoctorReport;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** {@code doctor --fix} and {@code --undo}. */
public final class Fixer {
    /**
     * @param dryRun print the plan, change nothing
     * @param yes apply reversible remediations without asking
     * @param json the caller prints JSON: print no human progress
     * @param progress hears each fix step as it starts (the CLI's progress bar on a terminal)
     */
    public record Options(boolean dryRun, boolean yes, boolean json, dev.minsky.store.Progress progress) {
        public Options(boolean dryRun, boolean yes, boolean json) {
            this(dryRun, yes, json, dev.minsky.store.Progress.NONE);
        }
    }

    private Fixer() {}

    /**
     * Plans and applies remediations for the report's findings; returns the report with
     * {@code applied} and {@code after} (the diagnosis run again through {@code rediagnose}).
     * {@code rediagnose} must probe the store afresh each time it is called (it is how a fix is
     * checked); it is never called with {@code dryRun}.
     */
    public static DoctorReport fix(DoctorEnv env, DoctorReport report, Options options, Supplier<DoctorReport> rediagnose) {
        Map<String, RemediationAction> actions = ActionRegistry.load(env.ctx().paths());
        return new FixRun(env, options, rediagnose, actions).run(report);
    }

    /**
     * The environment with the config read again from disk (a fix may have changed the user
     * config), keeping the values this run got from the command line.
     */
    public static DoctorEnv reloaded(DoctorEnv env) {
        Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        env.config().effective().forEach((k, v) -> {
            if ("command line".equals(v.source())) {
                flags.put(k, v.value());
            }
        });
        ConfigService fresh = ConfigService.load(env.ctx(), flags);
        return new DoctorEnv(env.ctx(), fresh, fresh.settingsLenient(), env.log());
    }

    /** Restores the state before a recorded fix (the newest when id is null); returns what was restored. */
    public static String undo(DoctorEnv env, String journalId) {
        Settings s = env.settings();
        // Find it first, so that asking when there is nothing to undo writes nothing (not even the lock).
        String id = Journal.load(s.stateDir(), journalId).id();
        try (var lock = Journal.lock(s.stateDir())) {
            return undo(env, s, Journal.load(s.stateDir(), id));
        }
    }

    private static String undo(DoctorEnv env, Settings s, Journal j) {
        if (!j.undoable()) {
            throw MinskyException.badInput("the fix " + j.id() + " has nothing left to undo (" + j.state() + ")",
                    "'minsky doctor --undo' without an id undoes the newest fix that changed something");
        }
        List<Journal.Step> applied = new ArrayList<>(j.steps().stream().filter(st -> st.outcome() == FixResult.APPLIED).toList());
        Settings now = reloaded(env).settings();
        List<String> after = applied.get(applied.size() - 1).sessionsAfter();
        List<String> current = StoreState.names(now);
        if (after != null && current != null) {
            Set<String> added = new HashSet<>(current);
            after.forEach(added::remove);
            if (!added.isEmpty()) {
                List<String> names = added.stream().sorted().limit(5).toList();
                throw MinskyException.badInput("undoing fix " + j.id() + " would lose " + added.size() + " session(s) added since it ("
                                + String.join(", ", names) + (added.size() > 5 ? ", ..." : "") + "); nothing was changed",
                        "export them first ('minsky sessiondb export --all --format json > keep.json'), undo, then "
                                + "'minsky sessiondb import --file keep.json'");
            }
        }
        Map<String, RemediationAction> actions = ActionRegistry.load(env.ctx().paths());
        List<String> done = new ArrayList<>();
        for (int i = applied.size() - 1; i >= 0; i--) {
            Journal.Step st = applied.get(i);
            List<String> files = st.restoreFiles();
            FixRun.restoreRecords(st, st.plan(), now);
            RemediationAction a = actions.get(st.action());
            if (a != null) {
                a.undo(new DoctorFixContext(env, now, null, null, null), st.plan());
            }
            st.finish(FixResult.UNDONE, "undone by 'minsky doctor --undo " + j.id() + "'", null);
            done.add(st.action() + (files.isEmpty() ? "" : " (restored " + String.join(", ", files) + ")"));
        }
        j.markUndone(env.ctx().clock());
        String msg = "undid fix " + j.id() + ": " + String.join("; ", done);
        env.log().info("doctor", msg);
        return msg;
    }
}
