package dev.minsky.backend.sqlite.fix;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.StoreFileAction;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** {@code sqlite.enable-wal}: {@code PRAGMA journal_mode=WAL}, so readers no longer wait for writers. */
public final class EnableWalAction extends StoreFileAction {
    public EnableWalAction() {
        super("sqlite.enable-wal", true, SqliteJdbc.NO_DATABASE);
    }

    @Override
    protected ActionPlan plan(FixContext ctx, List<Path> files) {
        if ("wal".equalsIgnoreCase(ctx.text("sqlite.journalMode"))) {
            return ActionPlan.notApplicable("the database is already in WAL mode");
        }
        return ActionPlan.builder()
                .change("SQL on " + files.get(0) + ": PRAGMA journal_mode=WAL  -- was " + ctx.text("sqlite.journalMode"))
                .files(files)
                .param("db", files.get(0))
                .build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        Path db = Path.of(plan.param("db"));
        try (Connection c = SqliteJdbc.open(db, ctx.settings().sqliteBusyTimeoutMillis())) {
            String mode = SqliteJdbc.one(c, "PRAGMA journal_mode=WAL");
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new MinskyException(ExitCode.INCOMPLETE, "SQLite kept journal mode '" + mode + "' for " + db,
                        "WAL needs a local filesystem with shared memory (not a network share)");
            }
            return new Applied("journal mode of " + db + " is now WAL", SqliteJdbc.count(c));
        } catch (SQLException e) {
            throw SqliteJdbc.failed(db, "enabling WAL on", e);
        }
    }
}
