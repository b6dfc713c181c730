package dev.minsky.doctor.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.PostgresServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL's failures, each on a real throwaway server, and the SQLSTATE and kind the probe reports. */
class PostgresProbesTest {
    @TempDir
    Path home;

    private static double num(Map<String, Object> f, String id) {
        Object v = f.get(id);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static void noPasswordIn(Map<String, Object> f, BrokenStates.Built b) {
        String pw = java.net.URI.create(b.connectionString()).getUserInfo().split(":", 2)[1];
        assertFalse(f.toString().contains(pw), "the password leaked into the facts");
    }

    @Test
    void a_healthy_store_connects_and_has_its_table_and_indexes() throws Exception {
        BrokenStates.Built b = BrokenStates.healthyPostgres(home, PostgresServer.shared(), 4);
        Map<String, Object> f = Probes.facts(home);
        assertEquals("00000", f.get("postgres.connect.sqlstate"));
        assertEquals("ok", f.get("postgres.connect.kind"));
        assertEquals(true, f.get("postgres.table.sessions"));
        assertEquals(true, f.get("postgres.index.taskId"), f.toString());
        assertEquals(true, f.get("postgres.index.createdAt"));
        assertEquals(60.0, num(f, "postgres.maxConnections"));
        assertTrue(num(f, "postgres.connections.total") >= 1);
        assertTrue(f.get("postgres.server.version").toString().matches("\\d+.*"));
        assertEquals(true, f.get("config.valid"));
        assertEquals(true, f.get("store.openSafe"));
        if (dev.minsky.store.Stores.providers().stream().anyMatch(p -> p.id().equals("postgres"))) {
            // read through the PostgreSQL store once it is on this branch
            assertEquals(4.0, num(f, "sessions.count"));
            assertFalse(f.keySet().stream().anyMatch(k -> k.endsWith(".failed")), f.toString());
        }
        noPasswordIn(f, b);
    }

    @Test
    void nothing_listening_is_refused() throws Exception {
        BrokenStates.pgNothingListening(home);
        Map<String, Object> f = Probes.facts(home);
        assertEquals("08001", f.get("postgres.connect.sqlstate"));
        assertEquals("refused", f.get("postgres.connect.kind"));
        assertEquals(0.0, num(f, "postgres.startupRetries"));
        assertEquals("127.0.0.1", f.get("postgres.host"));
        assertFalse(f.toString().contains("secret-pw"));
    }

    @Test
    void an_unknown_host_is_told_apart_from_a_refusal() throws Exception {
        BrokenStates.config(home, Map.of("backend", "postgres",
                "connectionString", "postgresql://u:pw12345@no-such-host.invalid:5432/db"));
        Map<String, Object> f = Probes.facts(home);
        assertEquals("unknown-host", f.get("postgres.connect.kind"), f.toString());
    }

    @Test
    void a_wrong_password_is_28P01() throws Exception {
        BrokenStates.Built b = BrokenStates.pgWrongPassword(home, PostgresServer.shared());
        Map<String, Object> f = Probes.facts(home);
        assertEquals("28P01", f.get("postgres.connect.sqlstate"));
        assertEquals("auth", f.get("postgres.connect.kind"));
        noPasswordIn(f, b);
    }

    @Test
    void a_missing_database_is_3D000() throws Exception {
        BrokenStates.pgMissingDatabase(home, PostgresServer.shared());
        Map<String, Object> f = Probes.facts(home);
        assertEquals("3D000", f.get("postgres.connect.sqlstate"));
        assertEquals("other", f.get("postgres.connect.kind"));
    }

    @Test
    void a_missing_role_is_28P01_under_scram_and_28000_when_the_server_trusts_the_client() throws Exception {
        BrokenStates.pgMissingRole(home, PostgresServer.shared());
        assertEquals("28P01", Probes.facts(home).get("postgres.connect.sqlstate"));
        try (PostgresServer trusting = PostgresServer.start(Map.of(), true)) {
            BrokenStates.pgMissingRole(home, trusting);
            Map<String, Object> f = Probes.facts(home);
            assertEquals("28000", f.get("postgres.connect.sqlstate"), f.toString());
            assertEquals("auth", f.get("postgres.connect.kind"));
        }
    }

    @Test
    void a_database_without_the_table_connects_but_lacks_it() throws Exception {
        BrokenStates.pgMissingTable(home, PostgresServer.shared());
        Map<String, Object> f = Probes.facts(home);
        assertEquals("00000", f.get("postgres.connect.sqlstate"));
        assertEquals(false, f.get("postgres.table.sessions"));
        assertEquals(false, f.get("store.openSafe"));
    }

    @Test
    void exhausted_max_connections_is_53300() throws Exception {
        try (BrokenStates.Built b = BrokenStates.pgTooManyConnections(home)) {
            Map<String, Object> f = Probes.facts(home);
            assertEquals("53300", f.get("postgres.connect.sqlstate"), f.toString());
            assertEquals("other", f.get("postgres.connect.kind"));
        }
    }
}
