package dev.minsky.backend.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Who holds the {@code sessions} table: the other backend whose lock on it a write would wait
 * for, from {@code pg_locks} and {@code pg_stat_activity}. Used by a write that waited (to say
 * whom it waits for) and by the doctor. Only reads catalogue views; never ends a backend.
 */
public final class PgLocks {
    private PgLocks() {}

    /**
     * The backend holding a lock on {@code sessions}, in the current database.
     *
     * @param pid its process id on the server
     * @param application its {@code application_name} ("" when it set none; hidden from other roles)
     * @param client its client address ({@code local} for a Unix socket)
     * @param xactSeconds how long its transaction has been open
     * @param mode the lock mode it holds, e.g. {@code AccessExclusiveLock}
     * @param state its state, e.g. {@code idle in transaction}
     */
    public record Holder(long pid, String application, String client, long xactSeconds, String mode, String state) {
        /** {@code pid 123 (application 'psql', client 127.0.0.1, transaction open for 12 s, holds AccessExclusiveLock)}. */
        public String describe() {
            return "pid " + pid + " (application '" + application + "', client " + client + ", transaction open for "
                    + xactSeconds + " s, " + (state == null || state.isEmpty() ? "" : state + ", ") + "holds " + mode + " on sessions)";
        }
    }

    /**
     * Modes that conflict with the ROW EXCLUSIVE lock every INSERT, UPDATE and DELETE takes; a
     * holder of one of these makes every write wait. A holder of another mode can still block
     * one row (an open UPDATE of the same session).
     */
    static final String CONFLICTING = "('ShareLock','ShareRowExclusiveLock','ExclusiveLock','AccessExclusiveLock')";

    /** The most likely blocker: a conflicting table lock first, else the oldest open transaction holding any. */
    public static Holder holder(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT l.pid, coalesce(a.application_name, ''),"
                     + " coalesce(host(a.client_addr), CASE WHEN a.pid IS NOT NULL AND a.client_port = -1 THEN 'local' ELSE 'unknown' END),"
                     + " coalesce(extract(epoch FROM now() - a.xact_start)::bigint, -1), l.mode, coalesce(a.state, '')"
                     + " FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
                     + " WHERE l.locktype = 'relation' AND l.relation = to_regclass('sessions') AND l.granted"
                     + " AND l.pid <> pg_backend_pid()"
                     + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                     + " ORDER BY (l.mode IN " + CONFLICTING + ") DESC, a.xact_start NULLS LAST LIMIT 1")) {
            if (!rs.next()) {
                return null;
            }
            return new Holder(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6));
        }
    }

    /**
     * A backend that blocks a statement asking for {@code requested} on {@code sessions}: one holding a
     * conflicting lock ({@code granted}), or one queued ahead asking for one (a pending
     * {@code ACCESS EXCLUSIVE} makes every later reader wait too). The same pids
     * {@code pg_blocking_pids()} gives for a backend waiting on that table, looked up from
     * {@code pg_locks} and {@code pg_stat_activity} once the wait has ended (lock_timeout).
     */
    public record Blocker(Holder holder, boolean granted) {
        /** {@code pid 123 (application 'psql', client 127.0.0.1, transaction open for 12 s, holds AccessExclusiveLock on sessions)}. */
        public String describe() {
            if (granted) {
                return holder.describe();
            }
            Holder h = holder;
            return "pid " + h.pid() + " (application '" + h.application() + "', client " + h.client() + ", transaction open for "
                    + h.xactSeconds() + " s, " + (h.state() == null || h.state().isEmpty() ? "" : h.state() + ", ")
                    + "queued ahead for " + h.mode() + " on sessions)";
        }
    }

    /** The lock modes that conflict with {@code requested} (a relation lock mode as pg_locks names it). */
    static java.util.List<String> conflicting(String requested) {
        return switch (requested) {
            case "AccessShareLock" -> java.util.List.of("AccessExclusiveLock");
            case "RowShareLock" -> java.util.List.of("ExclusiveLock", "AccessExclusiveLock");
            case "RowExclusiveLock" -> java.util.List.of("ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");
            default -> java.util.List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock",
                    "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"); // the strongest modes conflict with (nearly) all
        };
    }

    /**
     * The backends that make a statement asking for {@code requested} on {@code sessions} wait, holders
     * first, then the oldest transaction (at most 5). Empty when none is visible to this role, or gone.
     */
    public static java.util.List<Blocker> blockers(Connection c, String requested) throws SQLException {
        java.util.List<Blocker> out = new java.util.ArrayList<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT l.pid, coalesce(a.application_name, ''),"
                + " coalesce(host(a.client_addr), CASE WHEN a.pid IS NOT NULL AND a.client_port = -1 THEN 'local' ELSE 'unknown' END),"
                + " coalesce(extract(epoch FROM now() - a.xact_start)::bigint, -1), l.mode, coalesce(a.state, ''), bool_or(l.granted)"
                + " FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'relation' AND l.relation = to_regclass('sessions') AND l.pid <> pg_backend_pid()"
                + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND l.mode = ANY (?)"
                + " GROUP BY 1, 2, 3, 4, 5, 6, a.xact_start ORDER BY bool_or(l.granted) DESC, a.xact_start NULLS LAST LIMIT 5")) {
            ps.setArray(1, c.createArrayOf("text", conflicting(requested).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Blocker(new Holder(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                            rs.getString(6)), rs.getBoolean(7)));
                }
            }
        }
        return out;
    }

    /** Backends of this database waiting for a lock on {@code sessions} now. */
    public static long waiters(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'relation'"
                     + " AND relation = to_regclass('sessions') AND NOT granted")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** 55P03: lock_timeout ran out (or NOWAIT found the lock taken). */
    public static boolean lockNotAvailable(SQLException e) {
        return "55P03".equals(e.getSQLState());
    }

    /** A lock_timeout value for SET LOCAL, in milliseconds (at least 1: 0 would mean "wait forever"). */
    static String timeout(long millis) {
        return String.format(Locale.ROOT, "'%dms'", Math.max(1, millis));
    }
}
