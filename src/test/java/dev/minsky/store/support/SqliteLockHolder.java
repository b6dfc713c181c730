package dev.minsky.store.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Holds an SQLite database's write lock from another process: {@code BEGIN IMMEDIATE}, prints
 * "locked", sleeps, rolls back. Args: db path, milliseconds to hold.
 */
public final class SqliteLockHolder {
    private SqliteLockHolder() {}

    public static void main(String[] args) throws Exception {
        // killed with SIGKILL: use the cached native library instead of leaving a copy in /tmp
        dev.minsky.backend.sqlite.SqliteNative.prepare();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0]); Statement st = c.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[1]));
            st.execute("ROLLBACK");
        }
    }
}
