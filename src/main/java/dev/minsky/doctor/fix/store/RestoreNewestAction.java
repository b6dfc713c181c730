package dev.minsky.doctor.fix.store;

import dev.minsky.backup.Backups;
import dev.minsky.config.Settings;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.BuiltinAction;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.Paths2;
import dev.minsky.doctor.fix.StoreState;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code backup.restore-newest}: puts the sessions of the newest valid backup into the configured
 * store. Sessions already in the store are kept as they are (a backup is older than they are);
 * only those missing are added.
 */
public final class RestoreNewestAction extends BuiltinAction {
    public RestoreNewestAction() {
        super("backup.restore-newest");
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        Settings s = ctx.settings();
        Optional<Backups.Backup> newest = Backups.newest(s);
        if (newest.isEmpty()) {
            return ActionPlan.notApplicable("there is no valid backup in " + s.backupsDir());
        }
        Backups.Backup b = newest.get();
        long days = Duration.between(b.modified(), ctx.clock().instant()).toDays();
        ActionPlan.Builder p = ActionPlan.builder()
                .change("add the " + dev.minsky.util.Plural.count(b.sessions(), "session") + " of " + b.file() + " (" + days + " days old) to the " + s.backend()
                        + " store " + Stores.provider(s).location(s) + ", creating it if missing; sessions already there are kept")
                .changesRecords()
                .param("backup", b.file());
        List<Path> files = StoreState.files(s);
        if (!files.isEmpty()) {
            Paths2.missingDirs(files.get(0).getParent()).forEach(p::file);
            p.files(files);
        }
        return p.build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        Path file = Path.of(plan.param("backup"));
        ctx.progress().phase("reading the backup " + file.getFileName() + " (bytes)");
        List<SessionRecord> records = SessionJson.parseFile(file, ctx.progress()::total, ctx.progress()::advance);
        try (SessionStore store = Stores.open(ctx.settings(), true)) {
            Set<String> have = new HashSet<>();
            store.list(SessionQuery.ALL).forEach(r -> have.add(r.session()));
            List<SessionRecord> missing = records.stream().filter(r -> !have.contains(r.session())).toList();
            store.upsertAll(missing);
            return new Applied("restored " + missing.size() + " session(s) from " + file + " (" + have.size() + " were there already)",
                    have.size() + missing.size());
        }
    }
}
