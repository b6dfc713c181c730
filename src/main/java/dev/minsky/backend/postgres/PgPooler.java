package dev.minsky.backend.postgres;

import java.sql.SQLException;

/**
 * A transaction pooler (PgBouncer, Supavisor in transaction mode) hands each transaction to any
 * of its server connections, so a prepared statement the driver made on one is missing on the
 * next (SQLSTATE 26000) or already taken there by another client (42P05). Minsky does not rely on
 * session state otherwise (SET LOCAL, transaction-scoped advisory locks, no temp tables or LISTEN).
 * With {@code pgbouncer=true} or {@code prepareThreshold=0} in the connection string the driver
 * prepares nothing on the server; without it, the first such error makes this process reconnect
 * without server-side prepared statements and run the failed transaction again (it was rolled
 * back: the statement never ran), saying once on stderr what to add to the connection string.
 */
final class PgPooler {
    private static volatile boolean said;

    private PgPooler() {}

    static void fellBack(PgUrl url, SQLException e) {
        PgConnectRetry.disableServerPrepare();
        if (!said) {
            said = true;
            System.err.println("minsky: " + url.host() + ":" + url.port() + " looks like a transaction pooler (SQLSTATE "
                    + e.getSQLState() + ": " + PostgresConnector.scrub(url, e.getMessage()) + "); running again without"
                    + " server-side prepared statements. Add prepareThreshold=0 to sessiondb.connectionString"
                    + " ('minsky doctor --fix' does it)");
        }
    }
}
