package dev.minsky.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class PostgresServerTest {
    @Test
    void a_throwaway_cluster_accepts_the_right_password_and_rejects_a_wrong_one() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String url = pg.newDatabase("harness");
        java.net.URI u = java.net.URI.create(url);
        String[] userInfo = u.getUserInfo().split(":", 2);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(u.getPath().substring(1)), userInfo[0], userInfo[1]);
             ResultSet rs = c.createStatement().executeQuery("select 1")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(pg.jdbcUrl(u.getPath().substring(1)), userInfo[0], "wrong"));
        assertEquals("28P01", e.getSQLState());
    }
}
