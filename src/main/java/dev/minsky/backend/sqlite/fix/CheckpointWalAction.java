package dev.minsky.backend.sqlite.fix;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.StoreFileAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * {@code sqlite.checkpoint-wal}: a {@code -wal} left by an unclean shutdown holds committed
 * transactions that are not in the database file yet. SQLite itself moves them in
 * ({@code PRAGMA wal_checkpoint(TRUNCATE)}) after the journal has copied db, wal and shm aside.
 * The {@code -wal} file is never deleted by minsky: that would drop those transactions.
 */
public final class CheckpointWalAction extends StoreFileAction {
    public CheckpointWalAction() {
        super("sqlite.checkpoint-wal", true, SqliteJdbc.NO_DATABASE);
    }

    @Override
    protected ActionPlan plan(FixContext ctx, List<Path> files) {
        Path db = files.get(0);
        Path wal = db.resolveSibling(db.getFileName() + "-wal");
        if (!Files.exists(wal)) {
            return ActionPlan.notApplicable("there is no " + wal);
        }
        long holders = ctx.number("sqlite.holders.count", 0);
        if (holders > 0) {
            return ActionPlan.notApplicable("a live process holds the database (" + ctx.text("sqlite.holders")
                    + "); its -wal is in use, not stale. minsky never kills it");
        }
        return ActionPlan.builder()
                .change("SQL on " + db + ": PRAGMA wal_checkpoint(TRUNCATE)  -- SQLite moves the committed transactions of "
                        + wal.getFileName() + " into the database; the -wal is not deleted")
                .change("SQL: PRAGMA quick_check  -- must answer ok, with as many sessions as before")
                .files(files)
                .param("db", db)
                .build();
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        Path db = Path.of(plan.param("db"));
        Path wal = db.resolveSibling(db.getFileName() + "-wal");
        long walBytes = size(wal);
        try (Connection c = SqliteJdbc.open(db, ctx.settings().sqliteBusyTimeoutMillis())) {
            long before = SqliteJdbc.count(c);
            int busy;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                rs.next();
                busy = rs.getInt(1);
            }
            if (busy != 0) {
                throw new MinskyException(ExitCode.INCOMPLETE, "the checkpoint of " + db + " could not finish (SQLITE_BUSY): another "
                        + "connection is reading or writing", "it is never killed; let it finish and run 'minsky doctor --fix' again");
            }
            String check = SqliteJdbc.one(c, "PRAGMA quick_check");
            if (!"ok".equals(check)) {
                throw new MinskyException(ExitCode.INCOMPLETE, "quick_check after the checkpoint of " + db + " said: " + check,
                        "the database is damaged; 'minsky doctor' suggests sqlite.recover");
            }
            long after = SqliteJdbc.count(c);
            return new Applied("checkpointed the -wal (" + walBytes + " bytes before, " + size(wal) + " now) into " + db
                    + " through SQLite; " + after + " sessions readable before and " + after + " after; quick_check ok", before);
        } catch (SQLException e) {
            throw SqliteJdbc.failed(db, "checkpointing", e);
        }
    }
}
