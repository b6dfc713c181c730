package dev.minsky.doctor.fix.store;

import dev.minsky.config.Settings;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.BuiltinAction;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.Paths2;
import dev.minsky.doctor.fix.StoreState;
import dev.minsky.store.StoreProvider;
import dev.minsky.store.Stores;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code store.init}, {@code schema.init} and {@code index.create}: all three are the backend's own
 * {@link StoreProvider#init}, which creates only what is missing (file, table, indexes) and never
 * drops data. They differ in when they apply: a missing store, or an existing one.
 */
public abstract class InitAction extends BuiltinAction {
    private final boolean forMissingStore;
    private final String what;

    InitAction(String id, boolean forMissingStore, String what) {
        super(id);
        this.forMissingStore = forMissingStore;
        this.what = what;
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        Settings s = ctx.settings();
        StoreProvider p;
        try {
            p = Stores.provider(s);
        } catch (RuntimeException e) {
            return ActionPlan.notApplicable("the configured backend '" + s.backend() + "' is unknown");
        }
        List<Path> files = StoreState.files(s);
        boolean exists;
        if (files.isEmpty()) {
            // A server: asking it whether the table exists is a read; the probes have usually answered already.
            exists = !forMissingStore || p.exists(s);
        } else {
            exists = java.nio.file.Files.exists(files.get(0));
        }
        if (forMissingStore && exists) {
            return ActionPlan.notApplicable("a store already exists at " + p.location(s));
        }
        if (forMissingStore && ctx.isTrue("store.sessionsElsewhere")) {
            // an empty store would hide them: restoring from where they are comes first
            return ActionPlan.notApplicable("sessions exist elsewhere (" + ctx.text("store.sessionsElsewhere.where")
                    + "): an empty store is not created while they can be restored");
        }
        if (!forMissingStore && !files.isEmpty() && !exists) {
            return ActionPlan.notApplicable("there is no store at " + p.location(s) + " (store.init creates one)");
        }
        ActionPlan.Builder b = ActionPlan.builder()
                .change(what + " in the " + s.backend() + " store " + p.location(s)
                        + " (as 'minsky sessiondb init --backend " + s.backend() + "': schema version " + p.currentSchemaVersion()
                        + ", adds what is missing, drops nothing)")
                .param("backend", s.backend());
        if (!files.isEmpty()) {
            Paths2.missingDirs(files.get(0).getParent()).forEach(b::file);
            b.files(files);
        } else if (!"index.create".equals(id())) {
            // a server's table: no file the journal could restore, so undo removes the table it made
            b.param("createsTable", true);
        }
        return b.build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        Settings s = ctx.settings();
        StoreProvider p = Stores.provider(s);
        p.init(s);
        return Applied.of(what + " in " + p.location(s) + " (schema version " + p.currentSchemaVersion() + ")");
    }

    /** Removes a table this step created on a server, only while it holds no session. */
    @Override
    public void undo(FixContext ctx, ActionPlan plan) {
        if (!"true".equals(plan.param("createsTable"))) {
            return;
        }
        Settings s = ctx.settings();
        long n = StoreState.count(s);
        if (n > 0) {
            throw new dev.minsky.MinskyException(dev.minsky.ExitCode.INCOMPLETE, "the sessions table at " + Stores.provider(s).location(s)
                    + " holds " + n + " session(s) now; it is not removed", "export them first if you really want it gone");
        }
        Stores.provider(s).destroy(s);
    }

    /** {@code store.init}: create the missing store. */
    public static final class StoreInit extends InitAction {
        public StoreInit() {
            super("store.init", true, "create the store with its table and indexes");
        }
    }

    /** {@code schema.init}: create the missing sessions table. */
    public static final class SchemaInit extends InitAction {
        public SchemaInit() {
            super("schema.init", false, "create the missing sessions table and its indexes");
        }
    }

    /** {@code index.create}: create the missing taskId/createdAt indexes. */
    public static final class IndexCreate extends InitAction {
        public IndexCreate() {
            super("index.create", false, "create the indexes on taskId and createdAt");
        }
    }
}
