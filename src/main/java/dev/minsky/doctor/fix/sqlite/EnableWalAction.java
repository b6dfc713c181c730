package dev.minsky.doctor.fix.sqlite;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.RemediationAction;
import dev.minsky.doctor.fix.StoreState;
import dev.minsky.doctor.model.Safety;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** {@code sqlite.enable-wal}: {@code PRAGMA journal_mode=WAL}, so readers no longer wait for writers. */
public final class EnableWalAction implements RemediationAction {
    @Override
    public String id() {
        return "sqlite.enable-wal";
    }

    @Override
    public Safety safety() {
        return Safety.SAFE;
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        List<Path> files = StoreState.files(ctx.settings());
        if (files.isEmpty() || !Files.isRegularFile(files.get(0))) {
            return ActionPlan.notApplicable("there is no SQLite database file");
        }
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
