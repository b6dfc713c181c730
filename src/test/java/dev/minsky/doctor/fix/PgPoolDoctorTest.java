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

    private static JsonNode probe(JsonNode report, String id) {
        for (JsonNode p : report.path("probes")) {
            if (p.path("id").asText().equals(id)) {
                return p;
            }
        }
        return null;
    }

    /**
     * ACCESS EXCLUSIVE blocks even a read: the doctor's statements wait at most their lock budget
     * (min(1.5 s, a quarter of the probe's time)), say which statement waited for whom, and the
     * doctor ends well inside its timeout, naming the holder and never calling the store healthy.
     * With --timeout 60s the store's own wait (sessiondb.connectionWait, 30 s) would have run first.
     */
    @Test
    void a_doctor_statement_that_waits_on_a_lock_is_told_apart_and_ends_quickly() throws Exception {
        PostgresServer.assumeInstalled();
        BrokenStates.Built b = BrokenStates.healthyPostgres(home, PostgresServer.shared(), 2);
        Cli cli = new Cli(home);
        try (Connection holder = lockHolder(b.connectionString(), "holder-app")) {
            long pid = pid(holder);
            long t0 = System.nanoTime();
            Cli.Result r = cli.run("doctor", "--json", "--timeout", "60s");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(1, r.code(), r.toString());
            assertTrue(ms < 20_000, "ends well inside its 60 s timeout: " + ms + " ms");
            JsonNode report = FixTesting.json(r);
            assertFalse(report.path("healthy").asBoolean(true), "never healthy: " + r);
            assertEquals("true", factText(report, "postgres.statement.lockWait"), r.toString());
            assertTrue(factText(report, "postgres.statement.name").contains("FROM sessions"), factText(report, "postgres.statement.name"));
            long budget = Long.parseLong(factText(report, "postgres.statement.budgetMs"));
            assertTrue(budget >= 1 && budget <= 1500, "budget " + budget);
            assertEquals(Long.toString(pid), factText(report, "postgres.statement.blockerPids"));
            assertEquals(Long.toString(pid), factText(report, "postgres.statement.blocker.pid"));
            String blockers = factText(report, "postgres.statement.blockers");
            assertTrue(blockers.contains("pid " + pid) && blockers.contains("holder-app") && blockers.contains("127.0.0.1")
                    && blockers.contains("AccessExclusiveLock"), blockers);
            assertTrue(factText(report, "postgres.statement.reason").startsWith("waited "), factText(report, "postgres.statement.reason"));
            for (JsonNode p : report.path("probes")) {
                assertFalse(p.path("status").asText().equals("timeout"), "no probe ran into its deadline: " + p);
            }
            JsonNode sessions = probe(report, "store.sessions");
            assertTrue(sessions != null && !sessions.path("status").asText().equals("ok"), "the sessions were not checked: " + sessions);
            JsonNode f = finding(report, "postgres.lock-contention");
            assertTrue(f != null, "diagnosed: " + r);
            JsonNode rem = f.path("remediations").get(0);
            assertEquals("manual", rem.path("safety").asText());
            assertTrue(rem.path("command").asText().contains("pg_terminate_backend(" + pid + ")"), rem.toString());
            assertTrue(f.toString().contains("postgres.statement.lockWait"), "the statement's wait is evidence: " + f);

            Cli.Result human = cli.run("doctor", "--timeout", "60s");
            assertEquals(1, human.code(), human.toString());
            assertTrue(human.out().contains("Sessions and workspaces — not checked"), human.out());
            assertEquals(pid, pid(holder), "the holder's backend is still there");
        }
        Cli.Result after = cli.run("doctor", "--json");
        JsonNode report = FixTesting.json(after);
        assertEquals(0, after.code(), after.toString());
        assertTrue(report.path("healthy").asBoolean(false), after.toString());
        assertEquals("false", factText(report, "postgres.statement.lockWait"), after.toString());
        assertEquals("ok", probe(report, "store.sessions").path("status").asText(), after.toString());
    }

    /**
     * The sessions-only wait: the table is free for writes' checks when postgres.activity looks,
     * but the doctor's read waited in postgres.server (fixture-level in the playbook; here the real
     * holder of a queued ACCESS EXCLUSIVE behind an open reader makes every later statement wait).
     */
    @Test
    void a_queued_access_exclusive_request_is_named_as_what_the_statement_waited_for() throws Exception {
        PostgresServer.assumeInstalled();
        BrokenStates.Built b = BrokenStates.healthyPostgres(home, PostgresServer.shared(), 2);
        java.net.URI u = java.net.URI.create(b.connectionString());
        String[] ui = u.getUserInfo().split(":", 2);
        Properties p = new Properties();
        p.setProperty("user", ui[0]);
        p.setProperty("password", ui[1]);
        p.setProperty("ApplicationName", "reader-app");
        String jdbc = "jdbc:postgresql://127.0.0.1:" + u.getPort() + u.getPath();
        try (Connection reader = DriverManager.getConnection(jdbc, p)) {
            reader.setAutoCommit(false);
            try (Statement st = reader.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions")) {
                rs.next(); // holds ACCESS SHARE until it ends
            }
            p.setProperty("ApplicationName", "alter-app");
            try (Connection alter = DriverManager.getConnection(jdbc, p)) {
                long alterPid = pid(alter);
                alter.setAutoCommit(false);
                Thread t = new Thread(() -> {
                    try (Statement st = alter.createStatement()) {
                        st.execute("LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE"); // queues behind the reader
                    } catch (java.sql.SQLException e) {
                        // ended by the rollback below
                    }
                });
                t.start();
                try {
                    awaitWaiting(alterPid);
                    Cli.Result r = new Cli(home).run("doctor", "--json", "--timeout", "60s");
                    JsonNode report = FixTesting.json(r);
                    assertEquals(1, r.code(), r.toString());
                    assertEquals("true", factText(report, "postgres.statement.lockWait"), r.toString());
                    assertEquals(Long.toString(alterPid), factText(report, "postgres.statement.blocker.pid"), r.toString());
                    assertTrue(factText(report, "postgres.statement.blockers").contains("queued ahead for AccessExclusiveLock"),
                            factText(report, "postgres.statement.blockers"));
                    assertTrue(finding(report, "postgres.lock-contention") != null, r.toString());
                } finally {
                    reader.rollback(); // the ALTER gets its lock, then its connection closes
                    t.join(60_000);
                }
            }
        }
    }

    /** Until the server shows that backend waiting for a lock (a budget, not a sleep). */
    private static void awaitWaiting(long pid) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            // a connection of its own, in autocommit: pg_stat_activity is read once per transaction
            try (Connection c = PostgresServer.shared().superConnection("postgres"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT wait_event_type FROM pg_stat_activity WHERE pid = " + pid)) {
                if (rs.next() && "Lock".equals(rs.getString(1))) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("backend " + pid + " never waited for its lock within 60 s");
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
