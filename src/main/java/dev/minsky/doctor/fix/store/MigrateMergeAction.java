package dev.minsky.doctor.fix.store;

import dev.minsky.config.Settings;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.BuiltinAction;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.Paths2;
import dev.minsky.doctor.fix.StoreState;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code store.migrate-merge}: another store (another backend's file, a stray copy) holds sessions
 * the configured one lacks. Those sessions are added to the configured store; sessions already in
 * it are kept as they are, and the other store is left untouched.
 */
public final class MigrateMergeAction extends BuiltinAction {
    public MigrateMergeAction() {
        super("store.migrate-merge");
    }

    /** Settings that open the other store: its backend, with its path in place of the configured one. */
    static Settings other(Settings s, String backend, Path path) {
        Path json = "json".equals(backend) ? path : s.jsonPath();
        Path sqlite = "sqlite".equals(backend) ? path : s.sqlitePath();
        return new Settings(backend, s.stateDir(), path.getParent(), json, sqlite, s.connectionString(), s.maxConnections(),
                s.idleTimeoutMillis(), s.sqliteBusyTimeoutMillis(), s.connectionWaitMillis());
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        String path = ctx.text("stores.other.bestPath");
        String backend = ctx.text("stores.other.bestBackend");
        if (path == null || backend == null || !path.startsWith("/") || !Files.isRegularFile(Path.of(path))) {
            return ActionPlan.notApplicable("no other store file was found (stores.other.bestPath)");
        }
        Settings s = ctx.settings();
        ActionPlan.Builder b = ActionPlan.builder()
                .change("add the sessions of " + path + " (" + backend + ", " + ctx.number("stores.other.maxSessions", -1)
                        + " sessions) that the configured " + s.backend() + " store " + Stores.provider(s).location(s)
                        + " lacks; sessions already there are kept as they are; " + path + " is not changed")
                .changesRecords()
                .param("path", path)
                .param("backend", backend);
        List<Path> files = StoreState.files(s);
        if (!files.isEmpty()) {
            Paths2.missingDirs(files.get(0).getParent()).forEach(b::file);
            b.files(files);
        }
        return b.build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        Settings from = other(ctx.settings(), plan.param("backend"), Path.of(plan.param("path")));
        List<SessionRecord> theirs = StoreState.readAll(from);
        try (SessionStore store = Stores.open(ctx.settings(), true)) {
            Set<String> have = new HashSet<>();
            store.list(SessionQuery.ALL).forEach(r -> have.add(r.session()));
            List<SessionRecord> missing = theirs.stream().filter(r -> !have.contains(r.session())).toList();
            store.upsertAll(missing);
            return new Applied("added " + missing.size() + " session(s) from " + plan.param("path") + "; " + have.size()
                    + " were there already", have.size() + missing.size());
        }
    }
}
