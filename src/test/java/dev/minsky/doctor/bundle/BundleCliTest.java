package dev.minsky.doctor.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.PostgresServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code minsky doctor --bundle} through the CLI, with the real probes and engine. */
class BundleCliTest {
    @TempDir
    Path tmp;

    private final String rnd = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void assertAbsent(Map<String, byte[]> entries, String label, String secret) {
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String text = e.getKey() + "\n" + new String(e.getValue(), StandardCharsets.UTF_8);
            for (String form : List.of(secret, enc(secret), Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)))) {
                assertFalse(text.toLowerCase().contains(form.toLowerCase()), label + " found in " + e.getKey());
            }
        }
    }

    @Test
    void doctor_bundle_file_writes_exactly_that_file_and_prints_its_path() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home" + rnd));
        String token = "tok" + rnd + "Zq8Wm2Xn";
        String pgpw = "pg" + rnd + "/Pw!";
        String user = "cliuser" + rnd;
        String host = "clihost-" + rnd + ".lan";
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json").env("PGPASSWORD", pgpw)
                .env("USER", user).env(Pseudonyms.HOSTNAME_VAR, host)
                .env("MINSKY_POSTGRES_URL", "postgres://minsky:" + enc(pgpw) + "@" + host + ":5432/minsky");
        assertEquals(0, cli.run("session", "start", "task-1", "--repo",
                "https://x-access-token:" + token + "@github.com/org/app.git").code());
        // a workspace with no record: a real finding for the engine to report
        Files.createDirectories(cli.stateDir().resolve("sessions/ghost-" + user));
        JsonNode diagnosis = Bundler.JSON.readTree(cli.run("doctor", "--json").out());
        String firstCause = diagnosis.get("findings").get(0).get("cause").asText();

        Path file = tmp.resolve("out/report.tar.gz");
        Files.createDirectories(file.getParent());
        Cli.Result r = cli.run("doctor", "--bundle", file.toString(), "--include-data");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("bundle written: " + file), r.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Map<String, byte[]> entries = BundleFixtures.unpack(file, tmp);
        assertEquals(List.of("facts.json", "findings.json", "manifest.json", "report.html", "report.md", "sessions.json"),
                entries.keySet().stream().sorted().toList());
        String md = BundleFixtures.text(entries, "report.md");
        assertTrue(md.contains("`" + firstCause + "`"), md);
        for (JsonNode p : diagnosis.get("probes")) {
            assertTrue(md.contains("| `" + p.get("id").asText() + "` | " + p.get("status").asText() + " |"), p + " in\n" + md);
        }
        assertTrue(Bundler.JSON.readTree(entries.get("facts.json")).size() > 5);
        assertEquals("https://x-access-token:[REDACTED]@github.com/org/app.git",
                Bundler.JSON.readTree(entries.get("sessions.json")).get(0).get("repoUrl").asText());
        assertAbsent(entries, "repo token", token);
        assertAbsent(entries, "PGPASSWORD", pgpw);
        assertAbsent(entries, "user name", user);
        assertAbsent(entries, "host name", host);
        assertAbsent(entries, "home directory name", home.getFileName().toString());
    }

    @Test
    void doctor_bundle_without_a_file_writes_into_the_working_directory_and_preview_writes_nothing() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        Cli cli = new Cli(home).cwd(cwd).env("MINSKY_SESSIONDB_BACKEND", "json");
        Cli.Result r = cli.run("doctor", "--bundle");
        List<Path> written;
        try (var s = Files.list(cwd)) {
            written = s.toList();
        }
        assertEquals(1, written.size(), r.toString());
        assertTrue(written.get(0).getFileName().toString().matches("minsky-bundle-\\d{8}T\\d{6}Z\\.zip"), written.toString());
        assertTrue(r.out().contains("bundle written: " + written.get(0)), r.out());
        Files.delete(written.get(0));

        Cli.Result p = cli.run("doctor", "--bundle", "--preview");
        assertTrue(p.out().contains("\"files\""), p.out());
        assertTrue(p.out().contains("# minsky bug report"), p.out());
        try (var s = Files.list(cwd)) {
            assertEquals(0, s.count(), "preview writes nothing");
        }

        // with --json, standard output is the doctor's JSON document alone; the preview goes to stderr
        Cli.Result pj = cli.run("doctor", "--bundle", "--preview", "--json");
        com.fasterxml.jackson.databind.JsonNode doc = dev.minsky.model.SessionJson.mapper().readTree(pj.out());
        assertEquals(1, doc.path("schemaVersion").asInt(), pj.out());
        assertFalse(pj.out().contains("# minsky bug report"), "nothing but the JSON on stdout: " + pj.out());
        assertTrue(pj.err().contains("\"files\"") && pj.err().contains("# minsky bug report"), pj.err());
        try (var s = Files.list(cwd)) {
            assertEquals(0, s.count(), "preview writes nothing");
        }
    }

    @Test
    void a_failed_postgresql_login_is_bundled_without_its_password() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        Path home = Files.createDirectories(tmp.resolve("home"));
        String pw = "wrong" + rnd + "@pw";
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "postgres")
                .env("MINSKY_SESSIONDB_POSTGRES_URL", pg.url("canary_role", enc(pw), "postgres"));
        // whatever the store and the probes log about the failed login goes into the bundle's log tail
        assertEquals(3, cli.run("session", "list").code());
        Path file = tmp.resolve("pg.zip");
        Cli.Result r = cli.run("doctor", "--bundle", file.toString());
        assertEquals(1, r.code(), r.toString());
        Map<String, byte[]> entries = BundleFixtures.unpack(file, tmp);
        String md = BundleFixtures.text(entries, "report.md");
        assertTrue(md.contains("28P01"), md);
        assertTrue(md.contains("postgresql://canary_role:****@127.0.0.1:" + pg.port() + "/postgres"), md);
        assertTrue(md.lines().anyMatch(l -> l.contains(" ERROR cli ") && l.contains("canary_role")),
                "the failed login's log line is in the log tail:\n" + md);
        assertAbsent(entries, "PostgreSQL password", pw);
    }
}
