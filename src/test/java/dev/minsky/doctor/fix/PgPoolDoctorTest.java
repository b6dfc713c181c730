package dev.minsky.doctor.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.JavaProcess;
import dev.minsky.testutil.PgBouncer;
import dev.minsky.testutil.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor on a PostgreSQL store shared by other clients, on real servers: who holds the store
 * ({@code postgres.lock-contention}, with a second connection holding {@code LOCK TABLE sessions IN
 * ACCESS EXCLUSIVE MODE}), what {@code session start} says while it waits, and a transaction
 * pooler that loses the driver's prepared statements ({@code postgres.pooler-transaction-mode},
 * fixed by adding {@code prepareThreshold=0} and undone through the journal).
 */
class PgPoolDoctorTest {
    @TempDir
    Path home;

    @org.junit.jupiter.api.AfterEach
    void freshProcessState() {
        dev.minsky.backend.postgres.PgConnectRetry.resetForTests(); // the doctor ran in this JVM
    }

    private static String factText(JsonNode report, String id) {
        for (JsonNode f : report.path("facts")) {
            if (f.path("id").asText().equals(id)) {
                return f.path("value").asText();
            }
        }
        return null;
    }

    private static JsonNode finding(JsonNode report, String cause) {
        for (JsonNode f : report.path("findings")) {
            if (f.path("cause").asText().equals(cause)) {
                return f;
            }
        }
        return null;
    }

    /** A second client: its own role's connection, in a transaction holding the whole table. */
    private static Connection lockHolder(String url, String application) throws Exception {
        java.net.URI u = java.net.URI.create(url);
        String[] ui = u.getUserInfo().split(":", 2);
        Properties p = new Properties();
        p.setProperty("user", ui[0]);
        p.setProperty("password", ui[1]);
        p.setProperty("ApplicationName", application);
        Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + u.getPort() + u.getPath(), p);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE");
        }
        return c;
    }

    private static long pid(Connection c) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void another_clients_open_transaction_on_sessions_is_named_and_never_ended() throws Exception {
        PostgresServer.assumeInstalled();
        BrokenStates.Built b = BrokenStates.healthyPostgres(home, PostgresServer.shared(), 3);
        try (Connection holder = lockHolder(b.connectionString(), "holder-app")) {
            long pid = pid(holder);
            Cli cli = new Cli(home);
            Cli.Result r = cli.run("doctor", "--json");
            JsonNode report = FixTesting.json(r);
            JsonNode f = finding(report, "postgres.lock-contention");
            assertTrue(f != null, "diagnosed: " + r);
            assertEquals(Long.toString(pid), factText(report, "postgres.lock.holder.pid"));
            assertEquals("holder-app", factText(report, "postgres.lock.holder.application"));
            assertEquals("127.0.0.1", factText(report, "postgres.lock.holder.client"));
            assertEquals("AccessExclusiveLock", factText(report, "postgres.lock.holder.mode"));
            assertTrue(Long.parseLong(factText(report, "postgres.lock.holder.xactSeconds")) >= 0);
            assertTrue(factText(report, "postgres.activity.groups").contains("holder-app · 127.0.0.1"),
                    factText(report, "postgres.activity.groups"));
            JsonNode rem = f.path("remediations").get(0);
            assertEquals("manual", rem.path("safety").asText());
            assertTrue(rem.path("summary").asText().contains("holder-app"), rem.toString());
            assertTrue(rem.path("command").asText().contains("pg_terminate_backend(" + pid + ")"), rem.toString());

            Cli.Result fix = cli.run("doctor", "--fix", "--yes", "--json");
            assertTrue(FixTesting.applied(FixTesting.json(fix), "applied").isEmpty(), "nothing is applied for it: " + fix);
            try (Statement st = holder.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
                assertTrue(rs.next(), "the other client's backend is still there");
            }
            assertEquals(pid, pid(holder));
        }
        Cli.Result after = new Cli(home).run("doctor", "--json");
        assertTrue(finding(FixTesting.json(after), "postgres.lock-contention") == null, "gone once released: " + after);
    }

    private Process sessionStart(String name, long waitMillis) {
        Map<String, String> env = new HashMap<>(new Cli(home).envMap());
        env.put("MINSKY_POSTGRES_WAIT_MS", Long.toString(waitMillis));
        ProcessBuilder pb = JavaProcess.minsky(env, "session", "start", name, "--repo", "/tmp/" + name);
        pb.directory(home.toFile());
        return JavaProcess.start(pb);
    }

    @Test
    void a_blocked_session_start_says_whom_it_waits_for_and_keeps_its_deadline() throws Exception {
        PostgresServer.assumeInstalled();
        BrokenStates.Built b = BrokenStates.healthyPostgres(home, PostgresServer.shared(), 2);
        try (Connection holder = lockHolder(b.connectionString(), "holder-app")) {
            long pid = pid(holder);
            long t0 = System.nanoTime();
            Process p = sessionStart("blocked", 4000);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(3, p.exitValue(), err);
            assertTrue(err.contains("waiting for a lock on the sessions table") && err.contains("pid " + pid)
                    && err.contains("holder-app") && err.contains("127.0.0.1"), err);
            assertTrue(err.contains("pg_terminate_backend(" + pid + ")") && err.contains("nothing was written"), err);
            assertFalse(err.contains("Exception"), err);
            assertTrue(ms >= 4000, "kept waiting until the deadline: " + ms + " ms");

            Process q = sessionStart("waits-then-goes", 60000);
            Thread.sleep(3000); // let it find the table held, then let go
            holder.rollback();
            String err2 = new String(q.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(q.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, q.exitValue(), err2);
        }
        Cli.Result get = new Cli(home).run("session", "get", "waits-then-goes");
        assertEquals(0, get.code(), get.toString());
        assertEquals(1, new Cli(home).run("session", "get", "blocked").code() == 0 ? 0 : 1, "the failed start wrote nothing");
    }

    @Test
    void a_transaction_pooler_that_loses_prepared_statements_is_found_and_fixed_reversibly() throws Exception {
        PostgresServer.assumeInstalled();
        PgBouncer.assumeInstalled();
        BrokenStates.Built b = BrokenStates.healthyPostgres(home, PostgresServer.shared(), 3);
        try (PgBouncer bouncer = PgBouncer.start(PostgresServer.shared(), b.connectionString(), "transaction", Map.of())) {
            BrokenStates.config(home, Map.of("backend", "postgres", "connectionString", bouncer.through(b.connectionString())));
            Cli.Result r = new Cli(home).run("doctor", "--json");
            JsonNode report = FixTesting.json(r);
            assertEquals("true", factText(report, "postgres.pooler.suspected"), r.toString());
            assertTrue(finding(report, "postgres.pooler-transaction-mode") != null, r.toString());
            assertTrue(List.of("26000", "42P05", "08P01").contains(factText(report, "postgres.preparedStatements.sqlstate")), r.toString());
            JsonNode fix = FixTesting.cycle(home, "postgres.pooler-transaction-mode", FixTesting.records(home), 3, true, true);
            assertFalse(fix.toString().contains(java.net.URI.create(b.connectionString()).getUserInfo().split(":", 2)[1]),
                    "the password never shows");
        }
    }

    @Test
    void directly_on_the_server_nothing_is_suspected() throws Exception {
        PostgresServer.assumeInstalled();
        BrokenStates.healthyPostgres(home, PostgresServer.shared(), 1);
        JsonNode report = FixTesting.json(new Cli(home).run("doctor", "--json"));
        assertEquals("false", factText(report, "postgres.pooler.suspected"));
        assertEquals("false", factText(report, "postgres.lock.blocked"));
        assertTrue(finding(report, "postgres.pooler-transaction-mode") == null);
        assertTrue(factText(report, "postgres.activity.groups").contains("minsky doctor"), factText(report, "postgres.activity.groups"));
    }
}
