package dev.minsky.doctor.fix.store;

import dev.minsky.doctor.fix.DoctorFixContext;
import dev.minsky.config.ConfigKey;
import dev.minsky.config.ConfigService;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.BuiltinAction;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.Paths2;
import dev.minsky.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code config.use-found-store}: points the user config at the store the probes found elsewhere
 * (a doubled {@code minsky/minsky/} path, the default location). Changes only the user config
 * file, which the journal keeps; a layer above it (environment, command line) is reported rather
 * than silently left to override the change.
 */
public final class UseFoundStoreAction extends BuiltinAction {
    public UseFoundStoreAction() {
        super("config.use-found-store");
    }

    private static Map<ConfigKey, String> wanted(String backend, Path found, String configured) {
        Map<ConfigKey, String> keys = new LinkedHashMap<>();
        if (!backend.equals(configured)) {
            keys.put(ConfigKey.BACKEND, backend);
        }
        for (var e : dev.minsky.store.Stores.provider(backend).configFor(found).entrySet()) {
            keys.put(ConfigKey.of(e.getKey()), e.getValue());
        }
        return keys;
    }

    /** A backend that keeps its store in a file (its provider names one); false for a server or an unknown backend. */
    private static boolean isFileBackend(String backend) {
        try {
            return dev.minsky.store.Stores.provider(backend).storeFileName() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        String path = ctx.text("stores.other.bestPath");
        String backend = ctx.text("stores.other.bestBackend");
        if (path == null || backend == null || !path.startsWith("/")) {
            return ActionPlan.notApplicable("no other store was found (stores.other.bestPath)");
        }
        if (!isFileBackend(backend)) {
            return ActionPlan.notApplicable("the store found is a server; set sessiondb.connectionString by hand");
        }
        Path found = Path.of(path);
        if (!Files.isRegularFile(found)) {
            return ActionPlan.notApplicable(found + " is no longer there");
        }
        ConfigService config = DoctorFixContext.of(ctx).config();
        Map<ConfigKey, String> keys = wanted(backend, found, ctx.settings().backend());
        Path file = DoctorFixContext.of(ctx).env().ctx().paths().userConfigFile();
        ActionPlan.Builder b = ActionPlan.builder();
        for (var e : keys.entrySet()) {
            var v = config.get(e.getKey());
            if (v.isPresent() && (v.get().source().startsWith("environment") || v.get().source().startsWith("command line"))) {
                return ActionPlan.notApplicable(e.getKey().key() + " is set by the " + v.get().source()
                        + ", which overrides the user config: change it there to " + e.getValue());
            }
            b.change("in " + file + ": " + e.getKey().key() + ": " + e.getValue()
                    + " (minsky config set " + e.getKey().key() + " \"" + e.getValue() + "\")");
            b.param(e.getKey().key(), e.getValue());
        }
        Paths2.missingDirs(file.getParent()).forEach(b::file);
        return b.file(file)
                .param("promise", ctx.number("stores.other.maxSessions", -1))
                .build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        ConfigService config = DoctorFixContext.of(ctx).config();
        StringBuilder done = new StringBuilder();
        for (ConfigKey k : ConfigKey.values()) {
            String v = plan.param(k.key());
            if (v != null) {
                config.set(k, v);
                done.append(done.length() == 0 ? "" : ", ").append(k.key()).append(" = ").append(v);
            }
        }
        var now = dev.minsky.doctor.fix.Fixer.reloaded(DoctorFixContext.of(ctx).env()).settings();
        long promise = Long.parseLong(plan.params().getOrDefault("promise", "-1"));
        return new Applied("set " + done + " in " + DoctorFixContext.of(ctx).env().ctx().paths().userConfigFile() + "; the store is now "
                + Stores.provider(now).location(now), promise);
    }
}
