package dev.minsky.backend.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.config.Settings;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionStore;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.JavaProcess;
import dev.minsky.testutil.MinskyRepeat;
import dev.minsky.testutil.PgBouncer;
import dev.minsky.testutil.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Minsky through Debian's PgBouncer in {@code pool_mode = transaction}, in front of a real cluster:
 * the driver's server-side prepared statements break there (shown with a plain JDBC client), every
 * command works with {@code pgbouncer=true} in the connection string, a store without it falls
 * back by itself, and 16 processes making 50 {@code session start} each lose nothing.
 */
class PgBouncerTest {
    @TempDir
    Path home;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        PgConnectRetry.resetForTests();
    }

    static String records(int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? "," : "").append("{\"session\":\"s-").append(i).append("\",\"repoName\":\"minsky\",")
                    .append("\"repoUrl\":\"https://github.com/edobry/minsky.git\",\"createdAt\":\"2026-01-1").append(i % 10)
                    .append("T10:00:00.000Z\",\"taskId\":\"md#").append(i % 7).append("\",\"unknownTop\":{\"deep\":[1,{\"x\":\"y\"}]}}");
        }
        return sb.append(']').toString();
    }

    private PgBouncer bouncer(String url) {
        PgBouncer b = PgBouncer.start(PostgresServer.shared(), url, "transaction", Map.of());
        toClose.add(b);
        return b;
    }

    /** The same prepared statement used often enough that the driver prepares it on the server. */
    private static void runPrepared(Connection c, int times) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_backend_pid() FROM pg_class WHERE relname <> ? LIMIT 1")) {
            for (int i = 0; i < times; i++) {
                ps.setString(1, "sessions");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
                if (!c.getAutoCommit()) {
                    c.commit(); // one transaction per run: the pooler may hand the next one another server connection
                }
            }
        }
    }

    /** A second client that takes the server connection the first one just used, inside a transaction. */
    private static Connection holdAServerConnection(PgUrl u) throws SQLException {
        Connection b = DriverManager.getConnection(u.jdbcUrl(), u.properties());
        b.setAutoCommit(false);
        try (Statement st = b.createStatement()) {
            st.execute("SELECT 1");
        }
        return b;
    }

    @Test
    void the_drivers_server_side_prepared_statements_break_there_unless_prepareThreshold_is_0() throws Exception {
        PostgresServer.assumeInstalled();
        String url = PostgresServer.shared().newDatabase("pool");
        PgBouncer b = bouncer(url);
        PgUrl u = PgUrl.parse(b.through(url));
        SQLException failed = null;
        try (Connection a = DriverManager.getConnection(u.jdbcUrl(), u.properties())) {
            runPrepared(a, 6); // past pgjdbc's prepareThreshold (5): now a named statement on that server connection
            // In autocommit the driver heals a missing statement by parsing it again; in a
            // transaction (each write of a store) it cannot.
            a.setAutoCommit(false);
            try (Connection hold = holdAServerConnection(u)) {
                runPrepared(a, 6);
            } catch (SQLException e) {
                failed = e;
            }
        }
        assertNotNull(failed, "the pooler in transaction mode should lose the prepared statement");
        assertTrue(PgConnectRetry.preparedStatementClash(failed), failed.getSQLState() + " " + failed.getMessage());

        Properties p = u.properties();
        p.setProperty("prepareThreshold", "0");
        try (Connection a = DriverManager.getConnection(u.jdbcUrl(), p)) {
            runPrepared(a, 6);
            a.setAutoCommit(false);
            try (Connection hold = holdAServerConnection(u)) {
                runPrepared(a, 6); // no error: nothing was prepared on the server
            }
        }
    }

    @Test
    void a_store_without_the_parameter_reconnects_without_server_side_prepared_statements() throws Exception {
        PostgresServer.assumeInstalled();
        String url = PostgresServer.shared().newDatabase("poolfb");
        PgBouncer b = bouncer(url);
        String through = b.through(url);
        PgUrl u = PgUrl.parse(through);
        Settings s = new Settings("postgres", home, home, home.resolve("j"), home.resolve("s"), through, 10, 30000);
        try (SessionStore store = new PostgresStoreProvider().open(s, true)) {
            List<SessionRecord> rs = SessionJson.parse(records(14).getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 7; i++) {
                store.insert(rs.get(i)); // the same INSERT, past prepareThreshold: a named statement
            }
            try (Connection hold = holdAServerConnection(u)) {
                for (int i = 7; i < 14; i++) {
                    store.insert(rs.get(i)); // in a transaction on another server connection: 26000 without the fallback
                }
            }
            assertEquals(14, store.count());
            assertTrue(PgConnectRetry.serverPrepareDisabled(), "the clash should have been seen and the store fell back");
        }
    }

    @Test
    void every_command_works_through_pgbouncer_with_pgbouncer_true() throws Exception {
        PostgresServer.assumeInstalled();
        String url = PostgresServer.shared().newDatabase("poolcmd");
        PgBouncer b = bouncer(url);
        String through = b.through(url) + "?pgbouncer=true";
        Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", through);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "json").code());
        Path json = cli.stateDir().resolve("session-db.json");
        Files.writeString(json, records(40));
        List<SessionRecord> original = SessionJson.parse(Files.readAllBytes(json));

        Cli.Result mig = cli.run("sessiondb", "migrate", "to", "postgres", "--verify");
        assertEquals(0, mig.code(), mig.toString());
        assertTrue(mig.out().contains("40 of 40 sessions identical"), mig.out());
        for (int i = 0; i < 12; i++) {
            Cli.Result r = cli.run("session", "start", "pooled-" + i, "--repo", "/tmp/r" + i);
            assertEquals(0, r.code(), r.toString());
        }
        for (int i = 0; i < 12; i++) {
            assertEquals(0, cli.run("session", "get", "pooled-" + i, "--json").code());
        }
        Cli.Result list = cli.run("session", "list", "--json");
        assertEquals(0, list.code(), list.toString());
        assertEquals(52, SessionJson.mapper().readTree(list.out()).size());
        Cli.Result verify = cli.run("sessiondb", "verify");
        assertEquals(0, verify.code(), verify.toString());
        Cli.Result health = cli.run("sessiondb", "healthcheck");
        assertEquals(0, health.code(), health.toString());
        Cli.Result exp = cli.run("sessiondb", "export");
        assertEquals(0, exp.code(), exp.toString());
        Set<SessionRecord> exported = new HashSet<>(SessionJson.parse(exp.out().getBytes(StandardCharsets.UTF_8)));
        assertTrue(exported.containsAll(original));
        Path back = home.resolve("back.json");
        Files.writeString(back, exp.out());
        Cli.Result imp = cli.run("sessiondb", "import", "--file", back.toString(), "--replace");
        assertEquals(0, imp.code(), imp.toString());
        Cli.Result del = cli.run("session", "delete", "pooled-0");
        assertEquals(0, del.code(), del.toString());
        Cli.Result status = cli.run("sessiondb", "migrate", "status", "--json");
        assertEquals(0, status.code(), status.toString());
        Cli.Result toJson = cli.run("sessiondb", "migrate", "to", "json", "--verify");
        assertEquals(0, toJson.code(), toJson.toString());
        assertEquals(51, SessionJson.parse(Files.readAllBytes(json)).size());
        assertTrue(!b.log().contains("prepared statement"), b.log());
    }

    @Test
    void sixteen_processes_times_fifty_session_starts_through_the_pooler_lose_nothing() throws Exception {
        PostgresServer.assumeInstalled();
        String url = PostgresServer.shared().newDatabase("poolload");
        PgBouncer b = bouncer(url);
        String through = b.through(url) + "?pgbouncer=true";
        Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", through);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "postgres").code());
        Map<String, String> env = new java.util.HashMap<>(cli.envMap());
        env.put("MINSKY_POSTGRES_WAIT_MS", "120000");
        List<Process> ps = new ArrayList<>();
        for (int p = 0; p < 16; p++) {
            ProcessBuilder pb = JavaProcess.builder(MinskyRepeat.class, env, "50", "session", "start", "p" + p + "-s{i}",
                    "--repo", "/tmp/p" + p).redirectErrorStream(true);
            pb.directory(home.toFile());
            ps.add(JavaProcess.start(pb));
        }
        int ok = 0;
        StringBuilder failures = new StringBuilder();
        for (Process p : ps) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(20, TimeUnit.MINUTES), "a client did not finish within 20 minutes");
            for (String line : out.split("\n")) {
                if (line.startsWith("ok ")) {
                    ok++;
                }
            }
            if (p.exitValue() != 0) {
                failures.append(out).append('\n');
            }
        }
        assertEquals("", failures.toString());
        assertEquals(800, ok);
        try (Connection c = PostgresServer.shared().superConnection(PgUrl.parse(url).database());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT session) FROM sessions")) {
            rs.next();
            assertEquals(800, rs.getLong(1), "rows");
            assertEquals(800, rs.getLong(2), "distinct sessions");
        }
    }
}
