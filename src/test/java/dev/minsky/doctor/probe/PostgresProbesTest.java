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

    /**
     * The store.sessions facts on a real PostgreSQL store of a few thousand rows with known ages and
     * workspaces, read by the bounded SQL of the census (one pass for the count and every cutoff) and
     * the workspace census (counted in SQL, the first missing names an index walk in byte order):
     * the same counts, ages and names as reading every record gives, computed here from the mix.
     */
    @Test
    void the_sessions_probe_counts_ages_and_workspaces_of_a_known_mix_in_sql() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        BrokenStates.Built b = BrokenStates.healthyPostgres(home, pg, 1);
        Path root = BrokenStates.settings(home).workspacesDir().toAbsolutePath().normalize();
        int n = 3000;
        String db = java.net.URI.create(b.connectionString()).getPath().substring(1);
        try (java.sql.Connection c = pg.superConnection(db); java.sql.Statement st = c.createStatement()) {
            st.execute("DELETE FROM sessions");
            // s-0000..s-2999, i % 400 days and an hour old; 0..2989 at <root>/<name>, 2990..2994 at
            // <root>/elsewhere-<i> (another form, missing), 2995..2999 outside the root (not counted)
            st.execute("INSERT INTO sessions (session, repo_name, created_at, task_id, repo_path)"
                    + " SELECT format('s-%s', lpad(i::text, 4, '0')), 'minsky',"
                    + " now() - (i % 400) * interval '1 day' - interval '1 hour', 'md#' || i,"
                    + " CASE WHEN i < 2990 THEN '" + root + "/' || format('s-%s', lpad(i::text, 4, '0'))"
                    + " WHEN i < 2995 THEN '" + root + "/elsewhere-' || i ELSE '/nonexistent-minsky-root/s' || i END"
                    + " FROM generate_series(0, " + (n - 1) + ") AS i");
            // sorts before every s-... in byte order ('S' < 's'), after them in most locales' orders
            st.execute("INSERT INTO sessions (session, repo_name, created_at, repo_path) VALUES ('S-upper', 'minsky', now(), '"
                    + root + "/S-upper')");
            st.execute("ANALYZE sessions");
            try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_indexes WHERE tablename = 'sessions'"
                    + " AND indexname = 'idx_sessions_session_c'")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the schema has the byte-order index on session");
            }
        }
        if (java.nio.file.Files.isDirectory(root)) { // the one filled record's workspace goes with its record
            try (var old = java.nio.file.Files.list(root)) {
                for (Path d : old.toList()) {
                    java.nio.file.Files.delete(d);
                }
            }
        }
        for (int i = 0; i < 50; i++) {
            java.nio.file.Files.createDirectories(root.resolve(String.format("s-%04d", i)));
        }
        java.nio.file.Files.createDirectories(root.resolve("orphan-dir"));
        long older7 = 0;
        long older90 = 0;
        for (int i = 0; i < n; i++) {
            older7 += i % 400 >= 7 ? 1 : 0;
            older90 += i % 400 >= 90 ? 1 : 0;
        }
        ProbeRunner.Results r = Probes.results(home);
        Map<String, Object> f = Probes.asMap(r);
        assertEquals("ok", r.runs().stream().filter(p -> p.id().equals("store.sessions")).findFirst().orElseThrow().status(),
                r.runs().toString());
        assertEquals(n + 1.0, num(f, "sessions.count"), f.toString());
        assertEquals(n + 1.0, num(f, "store.sessionCount"));
        assertEquals((double) older7, num(f, "sessions.olderThan7d"));
        assertEquals((double) older90, num(f, "sessions.olderThan90d"));
        assertEquals((double) older90 / (n + 1), num(f, "sessions.olderThan90d.fraction"), 1e-9);
        assertEquals(399.0, num(f, "sessions.oldestAgeDays"));
        // usual records without a directory (s-0050..s-2989, S-upper) and the five elsewhere-<i>
        assertEquals((2990 - 50) + 1 + 5.0, num(f, "workspaces.missing"));
        StringBuilder first = new StringBuilder("S-upper");
        for (int i = 50; i < 69; i++) {
            first.append(",").append(String.format("s-%04d", i));
        }
        assertEquals(first.toString(), f.get("workspaces.missing.names"));
        assertEquals(1.0, num(f, "workspaces.orphaned"));
        assertEquals("orphan-dir", f.get("workspaces.orphaned.names"));
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

    @Test
    void a_server_turning_clients_away_with_57P03_is_retried_with_backoff_within_the_probes_time() throws Exception {
        try (BrokenStates.Built b = BrokenStates.pgShuttingDown(home)) {
            ProbeRunner.Results r = Probes.results(home);
            Map<String, Object> f = Probes.asMap(r);
            assertEquals("57P03", f.get("postgres.connect.sqlstate"), f.toString());
            assertTrue(num(f, "postgres.startupRetries") >= 3, f.toString());
            long probeMillis = r.runs().stream().filter(x -> x.id().equals("postgres.server")).findFirst().orElseThrow().millis();
            assertTrue(probeMillis < 8_500, "stayed within its timeout: " + probeMillis);
            assertFalse(f.containsKey("probe.postgres.server.failed"), "it gave up by itself, it did not time out");
        }
    }
}
