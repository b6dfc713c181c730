package dev.minsky.backend.sqlite.fix;

import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.StoreFileAction;
import dev.minsky.store.RepairReport;
import dev.minsky.store.Stores;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code sqlite.recover}: the SQLite backend's own repair ({@code sessiondb repair}): read every
 * readable row of a scratch copy ({@code sqlite3 .recover} where the installed program supports
 * it, else row by row through the driver), write a new database, check it, swap it in atomically
 * and keep the original beside it. The journal also holds db, wal and shm as they were.
 */
public final class RecoverAction extends StoreFileAction {
    public RecoverAction() {
        super("sqlite.recover", true, SqliteJdbc.NO_DATABASE);
    }

    @Override
    protected ActionPlan plan(FixContext ctx, List<Path> files) {
        Path db = files.get(0);
        return ActionPlan.builder()
                .change("copy " + db + " (and its -wal) to a scratch file and read every readable row from it "
                        + "(sqlite3 .recover where the installed sqlite3 supports it, otherwise row by row through the driver)")
                .change("write the rows into a new database with the current schema, check it with integrity_check")
                .change("swap it in atomically as " + db + "; keep the original as " + db.getFileName() + ".corrupt-<UTC time>")
                .files(files)
                .changesRecords()
                .build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        RepairReport r = Stores.provider(ctx.settings()).repair(ctx.settings(), ctx.clock(), ctx.progress());
        if (!r.changed()) {
            return new Applied("nothing to recover: " + r.method(), r.sessionsAfter());
        }
        return new Applied("recovered " + r.sessionsAfter() + " session(s) by " + r.method()
                + (r.sessionsBefore() >= 0 ? " (" + r.sessionsBefore() + " were readable before)" : "")
                + "; the damaged original is kept as " + r.original(), r.sessionsAfter());
    }
}
