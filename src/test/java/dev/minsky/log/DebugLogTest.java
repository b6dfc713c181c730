package dev.minsky.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What MINSKY_LOG_LEVEL=debug adds to the log: probes, rules fired, fix steps, SQL; never a password. */
class DebugLogTest {
    @TempDir
    Path home;

    private String log(Cli cli) throws Exception {
        Path f = cli.stateDir().resolve("logs/minsky.log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Test
    void debug_logs_each_sql_statement_of_the_sqlite_store() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "sqlite").env("MINSKY_LOG_LEVEL", "debug");
        assertEquals(0, cli.run("session", "start", "one", "--repo", home.toString()).code());
        assertEquals(0, cli.run("session", "list").code());
        String log = log(cli);
        assertTrue(log.contains("DEBUG sessiondb sql: INSERT INTO sessions"), log);
        assertTrue(log.lines().anyMatch(l -> l.contains("DEBUG sessiondb sql: SELECT")), log);
        Cli quiet = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "sqlite").env("MINSKY_LOG_LEVEL", null);
        long before = log.lines().count();
        assertEquals(0, quiet.run("session", "list").code());
        assertEquals(before, log(quiet).lines().count(), "no SQL lines at the default level");
    }

    @Test
    void debug_logs_probes_rules_and_fix_steps_of_the_doctor() throws Exception {
        try (BrokenStates.Built b = BrokenStates.staleWal(home, 3)) {
            Cli cli = new Cli(home).env("MINSKY_LOG_LEVEL", "debug");
            b.env().forEach(cli::env);
            Cli.Result r = cli.run("doctor", "--fix");
            assertTrue(r.code() == 0 || r.code() == 1, r.toString());
            String log = log(cli);
            assertTrue(log.lines().anyMatch(l -> l.matches(".* DEBUG doctor probe sqlite\\.open ok in \\d+ ms, \\d+ facts.*")), log);
            assertTrue(log.lines().anyMatch(l -> l.contains("DEBUG doctor rule fired: ")), log);
            assertTrue(log.contains("DEBUG doctor finding sqlite.stale-wal confidence"), log);
            assertTrue(log.contains("DEBUG doctor fix step start: sqlite.checkpoint-wal (safe) for sqlite.stale-wal"), log);
            assertTrue(log.lines().anyMatch(l -> l.matches(".* DEBUG doctor fix step end: sqlite\\.checkpoint-wal for sqlite\\.stale-wal in \\d+ ms.*")), log);
        }
    }

    @Test
    void the_doctor_at_debug_level_creates_no_state_where_there_was_none() throws Exception {
        Cli cli = new Cli(home).env("MINSKY_LOG_LEVEL", "debug");
        cli.run("doctor");
        assertFalse(Files.exists(cli.stateDir()), "the doctor wrote nothing");
    }

    @Test
    void debug_on_postgres_logs_statements_and_probes_but_never_the_password() throws Exception {
        String url = PostgresServer.shared().newDatabase("debuglog");
        String pw = dev.minsky.cli.SessionDbPostgresTestAccess.password(url);
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "postgres").env("MINSKY_POSTGRES_URL", url)
                .env("MINSKY_LOG_LEVEL", "debug");
        Files.createDirectories(cli.stateDir());
        assertEquals(0, cli.run("session", "start", "pg-one", "--repo", home.toString()).code());
        assertEquals(0, cli.run("session", "list", "--json").code());
        cli.run("doctor");
        Cli bad = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "postgres").env("MINSKY_POSTGRES_URL", url.replace(pw, "wrong-Secret-42"))
                .env("MINSKY_LOG_LEVEL", "debug");
        bad.run("session", "list");
        bad.run("doctor");
        String log = log(cli);
        assertTrue(log.contains("DEBUG sessiondb sql: INSERT INTO sessions"), log);
        assertTrue(log.lines().anyMatch(l -> l.matches(".* DEBUG doctor probe postgres\\S* \\w+ in \\d+ ms, \\d+ facts?.*")), log);
        assertFalse(log.contains(pw), "the password never reaches the log");
        assertFalse(log.contains("wrong-Secret-42"), "nor a wrong one");
    }
}
