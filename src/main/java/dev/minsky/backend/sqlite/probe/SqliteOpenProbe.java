package dev.minsky.backend.sqlite.probe;

import dev.minsky.backend.sqlite.SqliteFiles;
import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * Opens the database the way that changes nothing (see {@link SqliteFiles}) and reads its schema:
 * the open result with SQLite's error code, {@code PRAGMA quick_check}, the journal mode, the
 * {@code sessions} table, its indexes and the schema version.
 */
public final class SqliteOpenProbe implements Probe {
    @Override
    public String id() {
        return "sqlite.open";
    }

    @Override
    public String checking() {
        return "the SQLite database";
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
        return Set.of("sqlite.holders.count", "sqlite.writeLock.available", "sqlite.wal.exists", "sqlite.shm.exists",
                "sqlite.wal.uncheckpointedFrames");
    }

    @Override
    public Set<String> produces() {
        return Set.of("sqlite.open.ok", "sqlite.open.error", "sqlite.open.errorCode", "sqlite.quickCheck.ok",
                "sqlite.quickCheck", "sqlite.journalMode", "sqlite.table.sessions", "sqlite.index.taskId",
                "sqlite.index.createdAt", "sqlite.schemaVersion", "store.openSafe");
    }

    @Override
    public void run(ProbeContext ctx) throws Exception {
        Path db = ctx.settings().sqlitePath();
        if (!Files.exists(db)) {
            ctx.emit("store.openSafe", false);
            ctx.skip("the database file does not exist; not opened, so as not to create it");
            return;
        }
        boolean live = ctx.number("sqlite.holders.count", 0) > 0;
        boolean ok = false;
        boolean checked = false;
        boolean table = false;
        if (!Files.isRegularFile(db)) {
            // SQLite's own answer for a directory; a read-only open creates nothing
            dev.minsky.backend.sqlite.SqliteNative.prepare();
            SQLiteConfig cfg = new SQLiteConfig();
            cfg.setReadOnly(true);
            try (Connection c = cfg.createConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
                st.executeQuery("SELECT count(*) FROM sqlite_master").close();
                ctx.emit("sqlite.open.ok", true);
            } catch (SQLException e) {
                openFailed(ctx, e);
            }
            ctx.emit("store.openSafe", false);
            return;
        }
        try (SqliteFiles.Reader r = SqliteFiles.open(db, live)) {
            ctx.detail(r.how().equals(SqliteFiles.IMMUTABLE)
                    ? "read in place as immutable: no process has it open and it has no -wal, -shm or -journal"
                    : "read a " + r.how() + (r.how().equals("snapshot") ? " copy" : ""));
            Connection c = r.connection();
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(Math.max(1, (int) ctx.remaining().toSeconds()));
                try {
                    st.executeQuery("SELECT count(*) FROM sqlite_master").close();
                    ok = true;
                    ctx.emit("sqlite.open.ok", true);
                } catch (SQLException e) {
                    openFailed(ctx, e);
                }
                if (ok) {
                    // immutable=1 opens a WAL database as if it were not one: its header says which it is
                    boolean walByHeader = SqliteFiles.IMMUTABLE.equals(r.how()) && SqliteFiles.walHeader(SqliteFiles.head(db));
                    table = schema(ctx, st, walByHeader);
                    checked = quickCheck(ctx, st);
                }
            }
        } catch (SQLException e) {
            openFailed(ctx, e);
        }
        // A -wal holding committed work (or one that could not be read) is left as found: opening
        // through the store and closing it would checkpoint a WAL nobody else holds. An empty or
        // fully checkpointed -wal, or a lone -shm, holds nothing: the store's last close removes it.
        boolean walLeft = ctx.isTrue("sqlite.wal.exists") && ctx.number("sqlite.wal.uncheckpointedFrames", -1) != 0;
        // A write lock held elsewhere would make the store wait: leave it closed then too.
        ctx.emit("store.openSafe", ok && checked && table && (!walLeft || live)
                && !ctx.isFalse("sqlite.writeLock.available"));
    }

    private static void openFailed(ProbeContext ctx, SQLException e) {
        ctx.emit("sqlite.open.ok", false);
        ctx.emit("sqlite.open.error", SqliteFiles.describe(e));
        ctx.emit("sqlite.open.errorCode", SqliteFiles.code(e));
    }

    /** Returns whether the sessions table exists. */
    private static boolean schema(ProbeContext ctx, Statement st, boolean walByHeader) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            if (walByHeader) {
                ctx.emit("sqlite.journalMode", "wal");
            } else if (rs.next()) {
                ctx.emit("sqlite.journalMode", rs.getString(1).toLowerCase(java.util.Locale.ROOT));
            }
        }
        Set<String> tables = new HashSet<>();
        try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        boolean table = tables.contains("sessions");
        ctx.emit("sqlite.table.sessions", table);
        if (table) {
            Set<String> firstColumns = new HashSet<>();
            List<String> indexes = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("PRAGMA index_list('sessions')")) {
                while (rs.next()) {
                    indexes.add(rs.getString("name"));
                }
            }
            for (String ix : indexes) {
                try (ResultSet rs = st.executeQuery("PRAGMA index_info('" + ix.replace("'", "''") + "')")) {
                    if (rs.next()) {
                        firstColumns.add(rs.getString("name"));
                    }
                }
            }
            ctx.emit("sqlite.index.taskId", firstColumns.contains("taskId"));
            ctx.emit("sqlite.index.createdAt", firstColumns.contains("createdAt"));
        }
        Long version = schemaVersion(st, tables);
        ctx.emit("sqlite.schemaVersion", version);
        return table;
    }

    /** The version the store recorded in minsky_meta; 1 for a table Minsky itself made (no meta table). */
    private static Long schemaVersion(Statement st, Set<String> tables) {
        if (tables.contains("minsky_meta")) {
            try (ResultSet rs = st.executeQuery("SELECT value FROM minsky_meta WHERE key = 'schemaVersion'")) {
                if (rs.next() && rs.getString(1) != null) {
                    return Long.parseLong(rs.getString(1).trim());
                }
            } catch (SQLException | NumberFormatException e) {
                return null;
            }
        }
        return tables.contains("sessions") ? 1L : null;
    }

    /** Runs quick_check; returns whether it could run at all. */
    private static boolean quickCheck(ProbeContext ctx, Statement st) {
        List<String> lines = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("PRAGMA quick_check(20)")) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        } catch (SQLException e) {
            ctx.emit("sqlite.quickCheck.ok", false);
            ctx.emit("sqlite.quickCheck", SqliteFiles.describe(e));
            return false;
        }
        boolean ok = lines.size() == 1 && "ok".equals(lines.get(0));
        ctx.emit("sqlite.quickCheck.ok", ok);
        String text = String.join("; ", lines.subList(0, Math.min(5, lines.size())));
        ctx.emit("sqlite.quickCheck", text.length() > 500 ? text.substring(0, 500) + "…" : text);
        return ok;
    }
}
