package dev.minsky.backend.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.PostgresServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection failures: fast, bounded, exit 3 with the SQLSTATE, and never the password anywhere. */
class PostgresFailureTest {
    @TempDir
    Path home;

    private static String replacePassword(String url, String password) {
        return url.replaceFirst("://([^:]+):[^@]+@", "://$1:" + password + "@");
    }

    private static String everythingWritten(Cli cli, Cli.Result r) throws Exception {
        Path log = cli.stateDir().resolve("logs/minsky.log");
        return r.out() + r.err() + (Files.exists(log) ? Files.readString(log) : "");
    }

    @Test
    void a_wrong_password_fails_once_and_fast_with_28P01_and_the_password_appears_nowhere() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String secret = "Wr0ng-S3cret-" + System.nanoTime();
        String url = replacePassword(pg.newDatabase("authfail"), secret);
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "postgres").env("MINSKY_POSTGRES_URL", url);
        for (String[] args : List.of(new String[] {"session", "list"}, new String[] {"session", "start", "x", "--repo", "/tmp/r"},
                new String[] {"session", "list", "--stacktrace"})) {
            long t0 = System.nanoTime();
            Cli.Result r = cli.run(args);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(3, r.code(), r.toString());
            assertTrue(r.err().contains("28P01"), r.err());
            assertTrue(r.err().contains(":****@"), "the connection string is shown masked: " + r.err());
            assertFalse(r.err().contains("attempts"), "a bad password is not retried: " + r.err());
            assertTrue(millis < 4000, "took " + millis + " ms");
            String all = everythingWritten(cli, r);
            assertTrue(all.contains("28P01"), "the log records the failure");
            assertFalse(all.contains(secret), "the password leaked: " + all);
        }
    }

    @Test
    void a_port_with_nothing_listening_fails_after_bounded_retries_with_exit_3() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String secret = "n0body-listens-" + System.nanoTime();
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "postgres")
                .env("MINSKY_POSTGRES_URL", "postgresql://minsky:" + secret + "@127.0.0.1:" + port + "/minsky");
        long t0 = System.nanoTime();
        Cli.Result r = cli.run("session", "list");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("connection refused"), r.err());
        assertTrue(r.err().contains("08001"), r.err());
        assertTrue(r.err().contains("after " + PostgresConnector.MAX_ATTEMPTS + " attempts"), r.err());
        assertTrue(r.err().contains("pg_isready -h 127.0.0.1 -p " + port), r.err());
        assertTrue(millis >= 250 * 7 && millis < PostgresConnector.RETRY_BUDGET_MS + 3000,
                "backoff 250+500+1000 ms, bounded: took " + millis + " ms");
        assertFalse(everythingWritten(cli, r).contains(secret));
    }

    @Test
    void a_malformed_connection_string_is_bad_input() throws Exception {
        for (String bad : List.of("postgresql://u:pw-secret-1@host:notaport/db", "mysql://u:pw-secret-1@host/db", "postgresql://u:pw-secret-1@/db%")) {
            Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "postgres").env("MINSKY_POSTGRES_URL", bad);
            Cli.Result r = cli.run("session", "list");
            assertEquals(2, r.code(), bad + " -> " + r);
            assertTrue(r.err().contains("connection string"), r.err());
            assertFalse(everythingWritten(cli, r).contains("pw-secret-1"), r.toString());
        }
    }

    @Test
    void a_missing_database_is_3D000_and_not_retried() {
        PostgresServer pg = PostgresServer.shared();
        String url = pg.newDatabase("nodb");
        String other = url.substring(0, url.lastIndexOf('/') + 1) + "does_not_exist";
        Settings s = new Settings("postgres", home, home, home.resolve("j"), home.resolve("s"), other, 4, 30000);
        MinskyException e = assertThrows(MinskyException.class, () -> new PostgresStoreProvider().open(s, false).count());
        assertEquals(ExitCode.INCOMPLETE, e.exitCode());
        assertTrue(e.getMessage().contains("3D000"), e.getMessage());
        assertTrue(e.hint().contains("createdb"), e.hint());
    }

    @Test
    void a_table_made_by_minsky_is_read_and_init_upgrades_it_without_losing_rows() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String url = pg.newDatabase("legacy");
        PgUrl u = PgUrl.parse(url);
        try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.properties()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE sessions (session text PRIMARY KEY, repo_name text NOT NULL, repo_url text,"
                    + " created_at timestamptz NOT NULL, task_id text, branch text, repo_path text, pr_branch text,"
                    + " pr_approved boolean, pr_state jsonb, backend_type text, pull_request jsonb)");
            st.execute("INSERT INTO sessions (session, repo_name, repo_url, created_at, task_id, pr_approved, pr_state)"
                    + " VALUES ('m1', 'minsky', 'https://github.com/edobry/minsky.git', '2025-05-01 10:00:00+00', 'md#5', true,"
                    + " '{\"branchName\":\"pr/m1\",\"exists\":true}')");
        }
        Settings s = new Settings("postgres", home, home, home.resolve("j"), home.resolve("s"), url, 4, 30000);
        PostgresStoreProvider p = new PostgresStoreProvider();
        List<SessionRecord> before;
        try (SessionStore store = p.open(s, false)) {
            assertEquals(1, store.schemaVersion());
            before = store.list(SessionQuery.ALL);
            assertEquals("2025-05-01T10:00:00.000Z", before.get(0).createdAt(), "as Minsky writes times");
            assertEquals(true, before.get(0).field("prApproved").booleanValue());
            MinskyException e = assertThrows(MinskyException.class, () -> store.insert(
                    SessionRecord.create("n", "r", "u", java.time.Instant.parse("2026-01-01T00:00:00Z"))));
            assertEquals(ExitCode.INCOMPLETE, e.exitCode());
            assertTrue(e.hint().contains("init"), e.hint());
        }
        assertFalse(p.verify(s).ok());
        p.init(s);
        try (SessionStore store = p.open(s, false)) {
            assertEquals(PostgresSchema.CURRENT, store.schemaVersion());
            assertEquals(before, store.list(SessionQuery.ALL));
            store.insert(SessionRecord.create("n", "r", "u", java.time.Instant.parse("2026-01-01T00:00:00Z")));
        }
        assertTrue(p.verify(s).ok(), p.verify(s).problems().toString());
        assertEquals(2, p.verify(s).sessions());
    }

    @Test
    void repair_is_refused_for_postgres() {
        Settings s = new Settings("postgres", home, home, home.resolve("j"), home.resolve("s"), "postgresql://u:p@localhost/db", 4, 30000);
        MinskyException e = assertThrows(MinskyException.class, () -> new PostgresStoreProvider().repair(s, java.time.Clock.systemUTC()));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("server's own tools"), e.getMessage());
    }
}
