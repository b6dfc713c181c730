package dev.minsky.backend.postgres;

import dev.minsky.config.Settings;
import dev.minsky.store.SessionStoreContract;
import dev.minsky.testutil.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

class PostgresStoreContractTest extends SessionStoreContract {
    @Override
    protected Settings freshSettings() {
        String url = PostgresServer.shared().newDatabase("contract");
        return fileSettings("postgres", tmp.resolve("state"), url);
    }

    @Override
    protected boolean anythingCreated(Settings s) throws Exception {
        PgUrl u = PgUrl.parse(s.connectionString());
        try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.properties());
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }
}
