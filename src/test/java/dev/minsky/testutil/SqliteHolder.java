package dev.minsky.testutil;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * A second process for the doctor's broken states. {@code lock DB}: takes the write lock
 * ({@code BEGIN IMMEDIATE}), prints "ready" and holds it until killed or stdin closes.
 * {@code wal DB N [CREATED_AT]}: with automatic checkpoints off, commits N sessions (created now, or
 * at CREATED_AT), prints "ready" and waits to be killed, so that committed transactions live only
 * in the -wal. {@code wal-checkpointed DB N [CREATED_AT]}: the same, then a PASSIVE checkpoint copies
 * them into the database before "ready": the -wal left at the kill holds only work already copied.
 */
public final class SqliteHolder {
    private SqliteHolder() {}

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[1]); Statement st = c.createStatement()) {
            if (args[0].equals("lock")) {
                st.execute("BEGIN IMMEDIATE");
            } else {
                st.execute("PRAGMA wal_autocheckpoint=0");
                int n = Integer.parseInt(args[2]);
                String createdAt = args.length > 3 ? args[3] : dev.minsky.model.Timestamps.iso(java.time.Instant.now());
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO sessions (session, repoName, repoUrl, createdAt) VALUES (?, 'minsky', 'https://example.com/minsky.git', ?)")) {
                    for (int i = 0; i < n; i++) {
                        // one transaction each: several commits sit in the WAL
                        ps.setString(1, "wal-" + i);
                        ps.setString(2, createdAt);
                        ps.executeUpdate();
                    }
                }
                if (args[0].equals("wal-checkpointed")) {
                    st.execute("PRAGMA wal_checkpoint(PASSIVE)");
                }
            }
            System.out.println("ready");
            System.out.flush();
            // until the test kills us, or closes our stdin
            while (System.in.read() >= 0) {
                // keep holding
            }
        }
    }
}
