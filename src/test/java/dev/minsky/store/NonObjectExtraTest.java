package dev.minsky.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionRecord;
import dev.minsky.backend.postgres.PgUrl;
import dev.minsky.testutil.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An {@code extra} cell that holds JSON but not an object (written by hand or by another tool) is
 * kept as a field named {@code extra} on both SQL backends, and survives being written back.
 */
class NonObjectExtraTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void a_non_object_extra_cell_is_kept_as_a_field_and_survives_a_round_trip(String backend) throws Exception {
        String url = backend.equals("postgres") ? PostgresServer.shared().newDatabase("extra") : null;
        Settings s = new Settings(backend, tmp, tmp, tmp.resolve(Settings.JSON_FILE), tmp.resolve(Settings.SQLITE_FILE), url, 4,
                30000, 2000);
        try (SessionStore store = Stores.open(s, true)) {
            store.insert(SessionRecord.create("a", "minsky", "https://example.com/m.git", Instant.parse("2026-11-01T00:00:00Z")));
        }
        String jdbc = backend.equals("postgres") ? PgUrl.parse(url).jdbcUrl() : "jdbc:sqlite:" + s.sqlitePath();
        java.util.Properties props = backend.equals("postgres") ? PgUrl.parse(url).properties() : new java.util.Properties();
        try (Connection c = DriverManager.getConnection(jdbc, props); Statement st = c.createStatement()) {
            st.executeUpdate(backend.equals("postgres") ? "UPDATE sessions SET extra = '[1, 2]'::jsonb" : "UPDATE sessions SET extra = '[1, 2]'");
        }
        try (SessionStore store = Stores.open(s, false)) {
            SessionRecord r = store.get("a").orElseThrow();
            JsonNode extra = r.toJson().get("extra");
            assertEquals("[1,2]", String.valueOf(extra), r.toString());
            store.update(r.with("branch", "b"));
            SessionRecord again = store.get("a").orElseThrow();
            assertEquals("[1,2]", String.valueOf(again.toJson().get("extra")), "kept after it was written back: " + again);
            assertEquals("b", again.toJson().get("branch").asText());
        }
    }
}
