package dev.minsky.backend.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.DoctorReports;
import dev.minsky.testutil.PostgresTlsServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS against a real cluster that allows TCP clients only over {@code hostssl}, with a CA and
 * server certificate made by openssl for this test: the libpq parameters users copy from their
 * provider work, and each way TLS fails is diagnosed as its own cause.
 */
class PostgresTlsTest {
    private static PostgresTlsServer tls;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        tls = PostgresTlsServer.start();
    }

    @AfterAll
    static void stop() {
        if (tls != null) {
            tls.close();
        }
    }

    private static String password(String url) {
        return url.substring(url.indexOf(':', "postgresql://".length()) + 1, url.indexOf('@'));
    }

    private Cli cli(String url) {
        Cli cli = new Cli(home);
        Cli.Result r = cli.run("config", "set", "sessiondb.backend", "postgres");
        assertEquals(0, r.code(), r.toString());
        return cli.env("MINSKY_POSTGRES_URL", url);
    }

    private static void roundTrip(Cli cli, String url) {
        Cli.Result init = cli.run("sessiondb", "init", "--backend", "postgres");
        assertEquals(0, init.code(), init.toString());
        Cli.Result start = cli.run("session", "start", "tls-1", "--repo", "/tmp/r");
        assertEquals(0, start.code(), start.toString());
        Cli.Result get = cli.run("session", "get", "tls-1", "--json");
        assertEquals(0, get.code(), get.toString());
        assertTrue(get.out().contains("\"tls-1\""), get.out());
        assertFalse((init + start.toString() + get).contains(password(url)), "the password leaked");
    }

    private JsonNode doctor(Cli cli) throws Exception {
        Cli.Result r = cli.run("doctor", "--json");
        assertEquals(1, r.code(), r.toString());
        return JSON.readTree(r.out());
    }

    private static String top(JsonNode report) {
        return report.get("findings").get(0).get("cause").asText();
    }

    private static String fact(JsonNode report, String id) {
        JsonNode v = DoctorReports.fact(report, id);
        return v == null ? null : v.asText();
    }

    private static List<String> remediationText(JsonNode report) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : report.get("findings")) {
            for (JsonNode r : f.get("remediations")) {
                out.add(r.path("summary").asText() + " " + r.path("command").asText());
            }
        }
        return out;
    }

    @Test
    void sessions_round_trip_with_sslmode_require() {
        String url = tls.server().newDatabase("tlsreq") + "?sslmode=require";
        roundTrip(cli(url), url);
    }

    @Test
    void sessions_round_trip_with_verify_full_and_the_right_ca() {
        String url = tls.server().newDatabase("tlsfull") + "?sslmode=verify-full&sslrootcert=" + tls.caFile();
        roundTrip(cli(url), url);
    }

    @Test
    void pgsslmode_and_pgsslrootcert_from_the_environment_are_used() {
        String url = tls.server().newDatabase("tlsenv");
        Cli cli = cli(url).env("PGSSLMODE", "verify-full").env("PGSSLROOTCERT", tls.caFile().toString());
        roundTrip(cli, url);
        // the same variables with the wrong CA: it is verified, so it fails
        Cli.Result r = cli.env("PGSSLROOTCERT", tls.otherCaFile().toString()).run("session", "list");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("does not verify"), r.toString());
    }

    @Test
    void require_with_a_root_cert_verifies_it_as_libpq_does() {
        String url = tls.server().newDatabase("tlsreqca") + "?sslmode=require&sslrootcert=" + tls.otherCaFile();
        Cli cli = cli(url);
        Cli.Result r = cli.run("sessiondb", "init", "--backend", "postgres");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("does not verify against " + tls.otherCaFile()), r.toString());
    }

    @Test
    void a_plain_connection_is_refused_and_diagnosed_tls_required() throws Exception {
        String url = tls.server().newDatabase("tlsplain") + "?sslmode=disable";
        Cli cli = cli(url);
        Cli.Result r = cli.run("session", "list");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("accepts only TLS"), r.toString());
        JsonNode report = doctor(cli);
        assertEquals("postgres.tls-required", top(report), report.toPrettyString());
        assertEquals("true", fact(report, "postgres.tls.offered"));
        for (String text : remediationText(report)) {
            assertFalse(text.contains("sslmode=disable"), "a remediation offers to turn TLS off: " + text);
        }
        assertFalse(report.toString().contains(password(url)));
    }

    @Test
    void a_certificate_from_another_ca_is_diagnosed_untrusted_with_issuer_and_expiry() throws Exception {
        String url = tls.server().newDatabase("tlsca") + "?sslmode=verify-ca&sslrootcert=" + tls.otherCaFile();
        JsonNode report = doctor(cli(url));
        assertEquals("postgres.tls-untrusted", top(report), report.toPrettyString());
        String evidence = report.get("findings").get(0).get("evidence").toString();
        assertTrue(evidence.contains(tls.otherCaFile().toString()), "the CA file tried: " + evidence);
        assertTrue(evidence.contains("CN=minsky-test-ca"), "the server certificate's issuer: " + evidence);
        assertTrue(evidence.contains("postgres.tls.server.notAfter"), evidence);
        assertEquals("false", fact(report, "postgres.tls.chainTrusted"));
        for (String text : remediationText(report)) {
            assertFalse(text.contains("sslmode=disable"), text);
        }
        assertTrue(String.join("\n", remediationText(report)).contains("sslrootcert"), remediationText(report).toString());
    }

    @Test
    void a_host_name_the_certificate_does_not_name_is_a_hostname_mismatch() throws Exception {
        // the certificate names 127.0.0.1 only; localhost reaches the same server
        String url = tls.server().newDatabase("tlshost").replace("@127.0.0.1:", "@localhost:")
                + "?sslmode=verify-full&sslrootcert=" + tls.caFile();
        JsonNode report = doctor(cli(url));
        assertEquals("postgres.tls-hostname-mismatch", top(report), report.toPrettyString());
        assertEquals("true", fact(report, "postgres.tls.chainTrusted"));
        assertEquals("false", fact(report, "postgres.tls.hostnameMatches"));
        assertTrue(report.get("findings").get(0).toString().contains("127.0.0.1"), "names what the certificate is for");
    }

    @Test
    void a_healthy_tls_store_has_no_finding_and_reports_the_certificate() throws Exception {
        String url = tls.server().newDatabase("tlsok") + "?sslmode=verify-full&sslrootcert=" + tls.caFile();
        Cli cli = cli(url);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "postgres").code());
        Cli.Result r = cli.run("doctor", "--json");
        JsonNode report = JSON.readTree(r.out());
        for (JsonNode f : report.get("findings")) {
            assertFalse(f.get("cause").asText().startsWith("postgres."), f.toString());
        }
        assertEquals("verify-full", fact(report, "postgres.sslmode"));
        assertEquals("true", fact(report, "postgres.tls.chainTrusted"));
        assertEquals("CN=minsky-test-ca", fact(report, "postgres.tls.server.issuer"));
    }
}
