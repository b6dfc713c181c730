package dev.minsky.backend.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.DoctorReports;
import dev.minsky.testutil.PostgresServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow is not unreachable. A postmaster stopped with SIGSTOP is the extreme of a server too busy
 * to answer: the kernel still accepts TCP connections into the listen backlog, but nothing
 * answers. The doctor must call that {@code postgres.slow-server} with the times it measured,
 * never {@code postgres.unreachable}; a port where nothing listens stays {@code postgres.server-down}.
 */
class PostgresSlowServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private static void signal(String sig, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "kill -" + sig + " " + pid);
    }

    private static boolean found(JsonNode report, String cause) {
        for (JsonNode f : report.get("findings")) {
            if (f.get("cause").asText().equals(cause)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void a_stopped_postmaster_is_a_slow_server_not_an_unreachable_one() throws Exception {
        try (PostgresServer pg = PostgresServer.start(Map.of())) {
            String url = pg.newDatabase("slow");
            Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", url);
            assertEquals(0, cli.run("sessiondb", "init", "--backend", "postgres").code());
            assertEquals(0, cli.run("session", "start", "s-1", "--repo", "/tmp/r").code());
            long pid = pg.postmasterPid();
            signal("STOP", pid);
            try {
                Cli.Result r = cli.run("doctor", "--json");
                assertEquals(1, r.code(), r.toString());
                JsonNode report = JSON.readTree(r.out());
                assertEquals("postgres.slow-server", report.get("findings").get(0).get("cause").asText(), report.toPrettyString());
                assertFalse(found(report, "postgres.unreachable"), report.toPrettyString());
                assertFalse(found(report, "postgres.server-down"), report.toPrettyString());
                assertEquals(true, DoctorReports.fact(report, "postgres.tcp.connected").asBoolean());
                assertEquals(false, DoctorReports.fact(report, "postgres.server.answered").asBoolean());
                assertNotNull(DoctorReports.fact(report, "postgres.tcp.connectMillis"));
                String evidence = report.get("findings").get(0).get("evidence").toString();
                assertTrue(evidence.contains("postgres.tcp.connectMillis") && evidence.contains("postgres.login.millis"), evidence);

                // a command says it connected and the login was slow, not that the server is unreachable
                Cli.Result list = cli.run("session", "list");
                assertEquals(3, list.code(), list.toString());
                assertTrue(list.err().contains("login did not finish"), list.toString());
                assertFalse(list.err().contains("refused") || list.err().contains("no answer within"), list.toString());
            } finally {
                signal("CONT", pid);
            }
            Cli.Result after = cli.run("session", "list");
            assertEquals(0, after.code(), "the server works again once it runs: " + after);
        }
    }

    /**
     * The login wait is part of the connection budget (sessiondb.connectionWait): a login that does
     * not finish within one attempt (loginTimeout=2 in the connection string) is tried again until
     * the budget is spent. The postmaster stays stopped until the command has said that its first
     * login did not finish (longer than one attempt), then runs again: the command succeeds. With a
     * short budget it fails with exit 3, saying what it waited for and how long, and no trace.
     */
    @Test
    void a_login_that_does_not_finish_is_retried_within_the_connection_budget() throws Exception {
        try (PostgresServer pg = PostgresServer.start(Map.of())) {
            String url = pg.newDatabase("slowlogin") + "?loginTimeout=2";
            Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", url);
            assertEquals(0, cli.run("sessiondb", "init", "--backend", "postgres").code());
            assertEquals(0, cli.run("session", "start", "s-1", "--repo", "/tmp/r").code());
            long pid = pg.postmasterPid();

            Map<String, String> env = new java.util.HashMap<>(cli.envMap());
            env.put("MINSKY_POSTGRES_WAIT_MS", "120000");
            ProcessBuilder pb = dev.minsky.testutil.JavaProcess.minsky(env, "session", "start", "s-2", "--repo", "/tmp/r2");
            pb.directory(home.toFile());
            signal("STOP", pid);
            Process p;
            StringBuilder err = new StringBuilder();
            try {
                p = dev.minsky.testutil.JavaProcess.start(pb);
                java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(),
                        java.nio.charset.StandardCharsets.UTF_8));
                String line;
                // until the command says one login did not finish (a line, not a sleep)
                while ((line = r.readLine()) != null) {
                    err.append(line).append('\n');
                    if (line.contains("the login did not finish within 2 s; trying again until the 120.0 s deadline")) {
                        break;
                    }
                }
                assertTrue(err.toString().contains("trying again"), "said it retries the login: " + err);
            } finally {
                signal("CONT", pid);
            }
            String rest = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(180, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), err + rest);
            assertEquals(0, cli.run("session", "get", "s-2").code(), "written once the login finished");

            signal("STOP", pid);
            try {
                long t0 = System.nanoTime();
                Cli.Result list = cli.env("MINSKY_POSTGRES_WAIT_MS", "5000").run("session", "list");
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertEquals(3, list.code(), list.toString());
                assertTrue(list.err().contains("the login did not finish: waited ") && list.err().contains(" of a 5.0 s deadline"),
                        list.toString());
                assertTrue(list.err().contains("attempts, each given up to 2 s"), list.toString());
                assertFalse(list.err().contains("Exception") || list.err().contains("\tat "), list.toString());
                assertFalse(list.err().contains(java.net.URI.create(url).getUserInfo().split(":", 2)[1]), "no password");
                assertTrue(ms >= 4000, "waited out its budget: " + ms + " ms");
            } finally {
                signal("CONT", pid);
            }
        }
    }

    @Test
    void a_port_where_nothing_listens_is_refused_and_server_down() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", "postgresql://u:pw-not-shown@127.0.0.1:" + port + "/db")
                .env("MINSKY_SESSIONDB_BACKEND", "postgres");
        Cli.Result r = cli.run("doctor", "--json");
        assertEquals(1, r.code(), r.toString());
        JsonNode report = JSON.readTree(r.out());
        assertEquals("postgres.server-down", report.get("findings").get(0).get("cause").asText(), report.toPrettyString());
        assertFalse(found(report, "postgres.slow-server"));
        assertEquals(false, DoctorReports.fact(report, "postgres.tcp.connected").asBoolean());
        assertEquals("refused", DoctorReports.fact(report, "postgres.tcp.error").asText());
        assertFalse(r.out().contains("pw-not-shown"));
    }
}
