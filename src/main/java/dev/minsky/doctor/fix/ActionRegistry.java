package dev.minsky.doctor.fix;

import dev.minsky.MinskyPaths;
import dev.minsky.plugin.Plugins;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.doctor.model.Safety;

/** Finds the remediation actions: the built-in ones and those of plugin jars. */
public final class ActionRegistry {
    private ActionRegistry() {}

    /** Actions by id; the first found wins, so a plugin cannot replace a built-in action by accident. */
    public static Map<String, RemediationAction> load(MinskyPaths paths) {
        return load(Plugins.load(RemediationAction.class, paths));
    }

    /** The actions of what {@link Plugins#load} found, by id, first found wins. */
    public static Map<String, RemediationAction> load(Plugins.Found<RemediationAction> found) {
        Map<String, RemediationAction> out = new LinkedHashMap<>();
        for (Plugins.Loaded<RemediationAction> l : found.services()) {
            try {
                RemediationAction a = l.jar() == null ? l.service() : new PluginAction(l.service(), l.jar());
                out.putIfAbsent(a.id(), a);
            } catch (RuntimeException | LinkageError e) {
                // a plugin action whose id() fails cannot be named by a playbook: it is left out
            }
        }
        return out;
    }

    /**
     * A plugin's action: its id and safety read once, and every failure of {@code plan},
     * {@code apply} or {@code undo} (Errors such as NoClassDefFoundError included) turned into a
     * MinskyException that names the jar, which the fixer reports and rolls back like any other.
     */
    static final class PluginAction implements RemediationAction {
        private final RemediationAction action;
        private final String jar;
        private final String id;
        private final Safety safety;

        PluginAction(RemediationAction action, String jar) {
            this.action = action;
            this.jar = jar;
            this.id = Objects.requireNonNull(action.id(), "id()");
            this.safety = Objects.requireNonNull(action.safety(), "safety()");
        }

        @Override public String id() { return id; }
        @Override public Safety safety() { return safety; }

        @Override
        public ActionPlan plan(FixContext ctx) {
            try {
                return Objects.requireNonNull(action.plan(ctx), "plan() returned null");
            } catch (RuntimeException | LinkageError e) {
                throw failed("plan", e);
            }
        }

        @Override
        public Applied apply(FixContext ctx, ActionPlan plan) {
            try {
                Applied a = action.apply(ctx, plan);
                return a == null ? Applied.of(id) : a;
            } catch (RuntimeException | LinkageError e) {
                throw failed("apply", e);
            }
        }

        @Override
        public void undo(FixContext ctx, ActionPlan plan) {
            try {
                action.undo(ctx, plan);
            } catch (RuntimeException | LinkageError e) {
                throw failed("undo", e);
            }
        }

        private MinskyException failed(String step, Throwable e) {
            String why = e instanceof MinskyException m ? m.getMessage() : Plugins.describe(e);
            String hint = e instanceof MinskyException m && m.hint() != null ? m.hint()
                    : "the plugin " + jar + " failed; remove it from the plugins folder or ask its author";
            return new MinskyException(e instanceof MinskyException m ? m.exitCode() : ExitCode.INCOMPLETE,
                    "plugin " + jar + ": " + id + " " + step + " failed: " + why, hint, e);
        }
    }
}
