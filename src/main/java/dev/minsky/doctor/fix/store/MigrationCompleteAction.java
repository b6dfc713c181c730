package dev.minsky.doctor.fix.store;

import dev.minsky.doctor.fix.DoctorFixContext;
import dev.minsky.admin.AdminContext;
import dev.minsky.store.MigrationJournalFile;
import dev.minsky.admin.MigrationService;
import dev.minsky.config.Settings;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.BuiltinAction;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.Paths2;
import dev.minsky.doctor.fix.StoreState;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code store.migration-complete}: the migration journal shows a {@code sessiondb migrate to}
 * that stopped half way while the source is still the configured store. Runs the same migration
 * again, which is what finishing it means: every source session is copied (the target's own
 * sessions are kept), both sides are compared record by record, then {@code sessiondb.backend} is
 * switched and the journal says {@code switched}. The source store is only read. Undo puts the
 * target's files, the user config and the journal back as they were.
 */
public final class MigrationCompleteAction extends BuiltinAction {
    public MigrationCompleteAction() {
        super("store.migration-complete");
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        Settings s = ctx.settings();
        MigrationJournalFile journal = new MigrationJournalFile(s.stateDir());
        Optional<MigrationJournalFile.Entry> entry = journal.readQuietly();
        if (entry.isEmpty() || !entry.get().incomplete()) {
            return ActionPlan.notApplicable("no unfinished migration in " + journal.file());
        }
        MigrationJournalFile.Entry e = entry.get();
        if (e.from() == null || e.to() == null || !e.from().equals(s.backend())) {
            return ActionPlan.notApplicable("the unfinished migration went from " + e.from() + " to " + e.to()
                    + ", but the configured backend is " + s.backend() + ": 'minsky sessiondb migrate status' tells more");
        }
        if (e.toLocation() == null || !e.toLocation().startsWith("/")) {
            return ActionPlan.notApplicable("the migration's target " + e.to() + " is a server: run 'minsky sessiondb migrate to "
                    + e.to() + "' again to finish it");
        }
        Settings target = MigrateMergeAction.other(s, e.to(), Path.of(e.toLocation()));
        Path config = DoctorFixContext.of(ctx).env().ctx().paths().userConfigFile();
        ActionPlan.Builder b = ActionPlan.builder()
                .change("finish the migration from " + e.from() + " (" + e.fromLocation() + ", "
                        + ctx.number("migration.source.sessions", e.sessions()) + " sessions) to " + e.to() + " (" + e.toLocation()
                        + ", " + ctx.number("migration.target.sessions", -1) + " sessions now), stopped at '" + e.state()
                        + "': copy every session, compare both stores record by record, then set sessiondb.backend: " + e.to())
                .change("the " + e.from() + " store is only read; the target's own sessions are kept")
                .changesRecords()
                .param("to", e.to())
                .param("keep", ctx.number("migration.source.sessions", e.sessions()));
        for (Path f : StoreState.files(target)) {
            Paths2.missingDirs(f.getParent()).forEach(b::file);
            b.file(f);
        }
        Paths2.missingDirs(config.getParent()).forEach(b::file);
        b.file(config);
        b.file(journal.file());
        return b.build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        AdminContext admin = new AdminContext(DoctorFixContext.of(ctx).config(), ctx.settings(), ctx.clock(), DoctorFixContext.of(ctx).env().log(), line -> { });
        MigrationService.Result r = new MigrationService(admin).migrate(plan.param("to"), false);
        return new Applied("finished the migration from " + r.from() + " (" + r.fromLocation() + ") to " + r.to() + " ("
                + r.toLocation() + "): " + r.sessions() + " sessions copied and compared ("
                + (r.comparison() == null ? "not compared" : r.comparison().summary()) + "); sessiondb.backend is now " + r.to()
                + (r.overriddenBy() != null ? ", but " + r.overriddenBy() + " still selects another backend" : ""), r.sessions());
    }
}
