package dev.minsky.backend.sqlite.probe;

import dev.minsky.backend.sqlite.SqliteFiles;
import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * Whether a write transaction could start now: {@code BEGIN IMMEDIATE} with a short busy timeout on
 * the real database, rolled back at once, whenever some process has the database open or there are
 * processes this user cannot inspect. (When every process was inspected and none has it open, no
 * lock can exist: the answer is yes without touching the file.) A read-only connection is held open around it, so that
 * closing the writing connection is never the last close (which would checkpoint the WAL and delete
 * it). When the database is in WAL mode and its {@code -wal} or {@code -shm} is missing, opening it
 * would create them: no process can hold its write lock then (a WAL writer keeps both open), so
 * the probe answers yes without opening it and says so in its detail.
 */
public final class SqliteWriteLockProbe implements Probe {
    static final int BUSY_TIMEOUT_MS = 150;

    @Override
    public String id() {
        return "sqlite.writeLock";
    }

    @Override
    public String checking() {
        return "the SQLite write lock";
    }

    @Override
    public Cost cost() {
        return Cost.MODERATE;
    }

    @Override
    public boolean appliesTo(String backend) {
        return "sqlite".equals(backend);
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of("sqlite.holders.count", "sqlite.holders.hidden", "sqlite.header.ok");
    }

    @Override
    public Set<String> produces() {
        return Set.of("sqlite.writeLock.available", "sqlite.writeLock.error", "sqlite.writeLock.errorCode");
    }

    @Override
    public void run(ProbeContext ctx) throws Exception {
        Path db = ctx.settings().sqlitePath();
        if (!Files.isRegularFile(db)) {
            ctx.skip("there is no database file to lock");
            return;
        }
        if (ctx.number("sqlite.holders.count", -1) == 0 && ctx.number("sqlite.holders.hidden", -1) == 0) {
            // A POSIX lock lives only as long as its process keeps the file open, and no process has
            // the database or its WAL open: the lock is free. Trying it would rewrite a -shm left
            // by a killed writer, so do not.
            ctx.emit("sqlite.writeLock.available", true);
            ctx.detail("not opened: no process has the database open, so none can hold its lock");
            return;
        }
        if (Files.isReadable(db) && !SqliteFiles.directOpenCreatesNothing(db)) {
            ctx.emit("sqlite.writeLock.available", true);
            ctx.detail("not opened: a WAL database without -wal/-shm has no live writer, and opening it would create them");
            return;
        }
        if (ctx.isFalse("sqlite.header.ok")) {
            // not an SQLite file: SQLite would only say SQLITE_NOTADB, which sqlite.open reports
            ctx.skip("not an SQLite database");
            return;
        }
        dev.minsky.backend.sqlite.SqliteNative.prepare();
        SQLiteConfig ro = new SQLiteConfig();
        ro.setReadOnly(true);
        ro.setBusyTimeout(BUSY_TIMEOUT_MS);
        String url = "jdbc:sqlite:" + db;
        Connection guard = null;
        try {
            try {
                guard = ro.createConnection(url);
                try (Statement st = guard.createStatement()) {
                    st.executeQuery("SELECT count(*) FROM sqlite_master").close();
                }
            } catch (SQLException e) {
                closeQuietly(guard);
                guard = null;
                boolean live = ctx.number("sqlite.holders.count", 0) > 0;
                if (!live && Files.isReadable(db) && SqliteFiles.walHeader(SqliteFiles.head(db))) {
                    // without a guard, closing the writing connection would checkpoint the WAL
                    ctx.skip("not tried: no read-only guard connection could be held (" + SqliteFiles.describe(e) + ")");
                    return;
                }
            }
            SQLiteConfig rw = new SQLiteConfig();
            rw.setBusyTimeout(BUSY_TIMEOUT_MS);
            try (Connection c = rw.createConnection(url); Statement st = c.createStatement()) {
                st.execute("BEGIN IMMEDIATE");
                st.execute("ROLLBACK");
                ctx.emit("sqlite.writeLock.available", true);
            } catch (SQLException e) {
                ctx.emit("sqlite.writeLock.available", false);
                ctx.emit("sqlite.writeLock.error", SqliteFiles.describe(e));
                ctx.emit("sqlite.writeLock.errorCode", SqliteFiles.code(e));
            }
        } finally {
            closeQuietly(guard);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // read-only: nothing to lose
            }
        }
    }
}
