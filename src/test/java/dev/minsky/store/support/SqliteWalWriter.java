package dev.minsky.store.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Commits rows into an SQLite database with automatic checkpoints off, prints "committed" and
 * waits to be killed, so that the committed rows live only in the -wal file (an unclean shutdown).
 * Args: db path, first index, count.
 */
public final class SqliteWalWriter {
    private SqliteWalWriter() {}

    public static void main(String[] args) throws Exception {
        // killed with SIGKILL: use the cached native library instead of leaving a copy in /tmp
        dev.minsky.backend.sqlite.SqliteNative.prepare();
        int first = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0]); Statement st = c.createStatement()) {
            st.execute("PRAGMA wal_autocheckpoint=0");
            st.execute("BEGIN IMMEDIATE");
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sessions (session, repoName, repoUrl, createdAt, repoPath) VALUES (?, 'minsky', 'u', ?, ?)")) {
                for (int i = first; i < first + n; i++) {
                    String name = String.format("wal-%05d", i);
                    ps.setString(1, name);
                    ps.setString(2, "2027-01-01T00:00:00Z");
                    ps.setString(3, "/tmp/ws/" + name);
                    ps.executeUpdate();
                }
            }
            st.execute("COMMIT");
            System.out.println("committed");
            System.out.flush();
            Thread.sleep(600_000);
        }
    }
}
