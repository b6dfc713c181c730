package dev.minsky.backend.sqlite.fix;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/** The SQL the SQLite fixes run, through the driver: never creating a file that is missing. */
final class SqliteJdbc {
    /** Why an action on the database does not apply to a store that has none. */
    static final String NO_DATABASE = "there is no SQLite database file";

    private SqliteJdbc() {}

    static Connection open(Path db, int busyMillis) throws SQLException {
        dev.minsky.backend.sqlite.SqliteNative.prepare();
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setBusyTimeout(busyMillis);
        cfg.resetOpenMode(SQLiteOpenMode.CREATE);
        return cfg.createConnection("jdbc:sqlite:" + db.toAbsolutePath());
    }

    static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static long count(Connection c) throws SQLException {
        return Long.parseLong(one(c, "SELECT count(*) FROM sessions"));
    }

    static MinskyException failed(Path db, String what, SQLException e) {
        String m = String.valueOf(e.getMessage());
        String hint = m.contains("BUSY") || m.contains("locked")
                ? "another process is using the database; 'minsky doctor' names it. It is never killed: let it finish, then run 'minsky doctor --fix' again"
                : "nothing was lost: the journal holds copies of the database files; 'minsky doctor' explains";
        return new MinskyException(ExitCode.INCOMPLETE, what + " " + db + " failed: " + m, hint, e);
    }
}
