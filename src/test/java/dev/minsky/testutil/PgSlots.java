package dev.minsky.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.minsky.backend.postgres.PgUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A PostgreSQL server made full on purpose: every connection slot a role may take, held by the test. */
public final class PgSlots {
    private PgSlots() {}

    /** Opens connections until the server answers 53300 (too many clients); returns them. */
    public static List<Connection> fill(String url) throws SQLException {
        PgUrl u = PgUrl.parse(url);
        List<Connection> held = new ArrayList<>();
        while (true) {
            try {
                held.add(DriverManager.getConnection(u.jdbcUrl(), u.properties()));
            } catch (SQLException e) {
                assertEquals("53300", e.getSQLState(), e.getMessage());
                return held;
            }
        }
    }

    public static void closeAll(List<Connection> cs) {
        for (Connection c : cs) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing
            }
        }
    }
}
