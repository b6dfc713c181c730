package dev.minsky.backend.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.PostgresServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other side of {@link PostgresTlsTest}: a real cluster with {@code ssl = off} and a client
 * whose connection string requires TLS. The command fails saying the server offers no TLS, and
 * the doctor names {@code postgres.tls-unsupported} with the server's N to the SSLRequest as
 * evidence, and never offers {@code sslmode=disable}.
 */
class PostgresTlsUnsupportedTest {
    private static PostgresServer plain;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        PostgresServer.assumeInstalled();
        plain = PostgresServer.start(Map.of("ssl", "off"));
    }

    @AfterAll
    static void stop() {
        if (plain != null) {
            plain.close();
        }
    }

    @Test
    void require_against_a_server_with_ssl_off_is_diagnosed_tls_unsupported() throws Exception {
        String base = plain.newDatabase("nossl");
        String password = base.substring(base.indexOf(':', "postgresql://".length()) + 1, base.indexOf('@'));
        for (String mode : new String[] {"require", "verify-full"}) {
            String url = base + "?sslmode=" + mode;
            Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", url).env("MINSKY_SESSIONDB_BACKEND", "postgres");
            Cli.Result r = cli.run("session", "list");
            assertEquals(3, r.code(), r.toString());
            assertFalse(r.err().contains("Exception"), r.toString());
            Cli.Result d = cli.run("doctor", "--json");
            assertEquals(1, d.code(), d.toString());
            JsonNode report = JSON.readTree(d.out());
            JsonNode first = report.get("findings").get(0);
            assertEquals("postgres.tls-unsupported", first.get("cause").asText(), report.toPrettyString());
            String evidence = first.get("evidence").toString();
            assertTrue(evidence.contains("postgres.tls.offered"), "the server's N to SSLRequest: " + evidence);
            assertTrue(evidence.contains("postgres.sslmode"), evidence);
            for (JsonNode f : report.get("findings")) {
                assertFalse(f.get("cause").asText().equals("postgres.server-down") || f.get("cause").asText().equals("postgres.unreachable"),
                        "a server that answered is neither down nor unreachable: " + report.toPrettyString());
                for (JsonNode rem : f.get("remediations")) {
                    String text = rem.path("summary").asText() + " " + rem.path("command").asText();
                    assertFalse(text.contains("sslmode=disable"), "a remediation offers to turn TLS off: " + text);
                }
            }
            assertTrue(first.get("remediations").toString().contains("ssl = on"), first.toPrettyString());
            assertFalse(d.out().contains(password) || r.err().contains(password), "the password leaked");
            Cli.Result human = cli.run("doctor");
            assertTrue(human.out().contains("does not offer it"), human.out());
        }
    }
}
