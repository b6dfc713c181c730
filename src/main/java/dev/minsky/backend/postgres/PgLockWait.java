package dev.minsky.backend.postgres;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import java.sql.Connection;
import java.sql.SQLException;

/** What a write says while another client's transaction holds the {@code sessions} table. */
final class PgLockWait {
    private PgLockWait() {}

    /** The holder, looked up on the (now idle) connection; null when it cannot be seen or is gone. */
    static PgLocks.Holder holderQuietly(Connection c) {
        try {
            return PgLocks.holder(c);
        } catch (SQLException e) {
            return null;
        }
    }

    static String whom(PgLocks.Holder h) {
        return h == null ? "another client's transaction (gone, or not visible to this role)" : h.describe();
    }

    static void waiting(PgUrl url, PgLocks.Holder h, long waitMillis) {
        System.err.println("minsky: waiting for a lock on the sessions table at " + url.host() + ":" + url.port() + " held by "
                + whom(h) + "; giving up after " + PgConnectRetry.seconds(waitMillis * 1_000_000L));
    }

    static MinskyException gaveUp(PgUrl url, PgLocks.Holder h, long waitedNanos, boolean write) {
        String pid = h == null ? "PID" : Long.toString(h.pid());
        return new MinskyException(ExitCode.INCOMPLETE, "waited " + PgConnectRetry.seconds(waitedNanos)
                + " for a lock on the sessions table at " + url.masked() + " held by " + whom(h)
                + " (SQLSTATE 55P03); nothing was written",
                "end that transaction in its client (commit or roll back); as a last resort a superuser or the same role can run"
                        + " psql -h " + url.host() + " -p " + url.port() + " -c \"SELECT pg_terminate_backend(" + pid + ")\""
                        + "; MINSKY_POSTGRES_WAIT_MS (sessiondb.connectionWait) sets how long to wait; 'minsky doctor' shows who holds the store");
    }
}
