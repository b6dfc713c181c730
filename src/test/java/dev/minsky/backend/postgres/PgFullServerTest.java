package dev.minsky.backend.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.config.Settings;
import dev.minsky.store.SessionStore;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.JavaProcess;
import dev.minsky.testutil.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients on a server with few slots: max_connections = 5 (one reserved for superusers), 12
 * CLI processes at once while the test itself holds every other slot for a while. None fails: each
 * waits with jittered backoff, says so on stderr, and gets in. Also what
 * {@code sessiondb.maxConnections} and {@code sessiondb.idleTimeout} do.
 */
class PgFullServerTest {
    private static PostgresServer small;
    private static String url;

    @TempDir
    Path home;

    @BeforeAll
    static void startSmallServer() {
        PostgresServer.assumeInstalled();
        small = PostgresServer.start(Map.of("max_connections", "5", "superuser_reserved_connections", "1"));
        url = small.newDatabase("full");
    }

    @AfterAll
    static void stop() {
        if (small != null) {
            small.close();
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = small.superConnection(PgUrl.parse(url).database()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String activity() throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Connection c = small.superConnection("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pid, datname, application_name, state, backend_type FROM pg_stat_activity")) {
            while (rs.next()) {
                sb.append('\n').append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3))
                        .append(' ').append(rs.getString(4)).append(' ').append(rs.getString(5));
            }
        }
        return sb.toString();
    }

    @Test
    void twelve_processes_on_a_full_server_all_get_in() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", url);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "postgres").code());
        Map<String, String> env = new HashMap<>(cli.envMap());
        env.put("MINSKY_POSTGRES_WAIT_MS", "180000");
        List<Connection> held = dev.minsky.testutil.PgSlots.fill(url);
        assertTrue(held.size() >= 3, "the test holds the normal slots: " + held.size());
        List<Process> ps = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                ProcessBuilder pb = JavaProcess.minsky(env, "session", "start", "crowd-" + i, "--repo", "/tmp/crowd-" + i);
                pb.directory(home.toFile());
                ps.add(JavaProcess.start(pb));
            }
            // the processes start their JVMs and find no slot; long enough for each to wait past the notice
            Thread.sleep(6000);
        } finally {
            dev.minsky.testutil.PgSlots.closeAll(held);
        }
        int waited = 0;
        StringBuilder failures = new StringBuilder();
        for (int i = 0; i < ps.size(); i++) {
            Process p = ps.get(i);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(10, TimeUnit.MINUTES), "process " + i + " did not finish");
            if (p.exitValue() != 0) {
                failures.append("crowd-").append(i).append(": exit ").append(p.exitValue()).append(": ").append(err).append('\n');
            }
            if (err.contains("waiting for a free connection slot on 127.0.0.1:" + small.port())) {
                waited++;
            }
        }
        assertEquals("", failures.toString(), "0 failed");
        assertTrue(waited >= 1, "a process that found the server full said what it waited for");
        assertEquals(12, count("SELECT count(DISTINCT session) FROM sessions WHERE session LIKE 'crowd-%'"));
    }

    @Test
    void a_waiter_whose_deadline_passes_fails_with_what_it_waited_for() throws Exception {
        Map<String, String> env = new HashMap<>(new Cli(home).env("MINSKY_POSTGRES_URL", url).envMap());
        env.put("MINSKY_POSTGRES_WAIT_MS", "3000");
        env.put("MINSKY_SESSIONDB_BACKEND", "postgres");
        List<Connection> held = dev.minsky.testutil.PgSlots.fill(url);
        try {
            ProcessBuilder pb = JavaProcess.minsky(env, "session", "list");
            pb.directory(home.toFile());
            Process p = JavaProcess.start(pb);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES));
            assertEquals(3, p.exitValue(), err + new String(p.getInputStream().readAllBytes()) + " held " + held.size() + activity());
            assertTrue(err.contains("waiting for a free connection slot on 127.0.0.1:" + small.port()), err);
            assertTrue(err.contains("53300") && err.contains("for a free connection slot; MINSKY_POSTGRES_WAIT_MS"), err);
            assertTrue(!err.contains("Exception"), err);
        } finally {
            dev.minsky.testutil.PgSlots.closeAll(held);
        }
    }

    /**
     * The deadline is {@code sessiondb.connectionWait} from the config file, and it is waited out
     * whole: the last sleep ends at the deadline and one more attempt is made there (the old loop
     * gave up as soon as the next jittered sleep would have passed it: 6.5 s of an 8 s wait).
     */
    @Test
    void the_configured_connection_wait_is_waited_out_to_its_end() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", url).env("MINSKY_SESSIONDB_BACKEND", "postgres");
        assertEquals(2, cli.run("config", "set", "sessiondb.connectionWait", "soon").code(), "a bad value is refused");
        assertEquals(0, cli.run("config", "set", "sessiondb.connectionWait", "5000").code());
        Map<String, String> env = new HashMap<>(cli.envMap());
        env.remove("MINSKY_POSTGRES_WAIT_MS");
        List<Connection> held = dev.minsky.testutil.PgSlots.fill(url);
        try {
            ProcessBuilder pb = JavaProcess.minsky(env, "session", "list");
            pb.directory(home.toFile());
            Process p = JavaProcess.start(pb);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES));
            assertEquals(3, p.exitValue(), err);
            assertTrue(err.contains("giving up after 5.0 s"), err);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("waited (\\d+\\.\\d) s of a 5\\.0 s deadline").matcher(err);
            assertTrue(m.find(), err);
            assertTrue(Double.parseDouble(m.group(1)) >= 5.0, "waited the whole deadline: " + err);
            assertTrue(err.contains("sessiondb.connectionWait"), err);
        } finally {
            dev.minsky.testutil.PgSlots.closeAll(held);
        }
    }

    private Settings settings(int maxConnections, int idleMillis) {
        return new Settings("postgres", home, home, home.resolve("j"), home.resolve("s"), url, maxConnections, idleMillis);
    }

    @Test
    void idle_timeout_closes_the_stores_connection_and_the_next_call_opens_a_new_one() throws Exception {
        try (SessionStore store = new PostgresStoreProvider().open(settings(10, 3000), true)) {
            long sessions = store.count(); // the class's other tests may have left some
            String mine = "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'minsky%'"
                    + " AND datname = '" + PgUrl.parse(url).database() + "'";
            assertEquals(1, count(mine), "the store holds its connection while in use: " + activity());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count(mine) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0, count(mine), "closed after sessiondb.idleTimeout without use");
            assertEquals(sessions, store.count(), "the next call connects again");
        }
    }

    @Test
    void max_connections_caps_the_connections_one_process_holds_at_once() throws Exception {
        PgConnectRetry.maxConnections(1);
        try {
            PgUrl u = PgUrl.parse(url);
            Connection first = PostgresConnector.connect(u);
            long[] waitedMs = new long[1];
            Thread other = new Thread(() -> {
                long t0 = System.nanoTime();
                try (Connection second = PostgresConnector.connect(u)) {
                    waitedMs[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            other.start();
            Thread.sleep(1500);
            assertTrue(other.isAlive(), "the second connection waits while the first is open");
            first.close();
            other.join(60_000);
            assertTrue(waitedMs[0] >= 1400, "it got its connection only after the first was closed: " + waitedMs[0]);
        } finally {
            PgConnectRetry.maxConnections(10);
        }
    }
}
