package dev.minsky.doctor.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.testutil.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The passwords of the PostgreSQL password file ({@code ~/.pgpass}, or the file {@code PGPASSFILE}
 * names) never reach a bundle: the bundle learns them from the backend's
 * {@code StoreSecrets.knownSecrets}, not by reading the file itself. The password is put where no
 * pattern would catch it (a plain path segment of a session's repo URL), so only knowing it redacts it.
 */
class BundlePgpassTest {
    @TempDir
    Path tmp;

    private final String rnd = UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    @Test
    void a_password_of_the_home_pgpass_file_is_redacted() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        String pw = "pgpass" + rnd + "Qz:7";
        Files.writeString(home.resolve(".pgpass"), "# comment\ndb.example:5432:*:minsky:" + pw.replace(":", "\\:") + "\n");
        check(new Cli(home), pw, "~/.pgpass");
    }

    @Test
    void a_password_of_the_file_pgpassfile_names_is_redacted() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path file = tmp.resolve("elsewhere.pgpass");
        String pw = "elsewhere" + rnd + "Wx";
        Files.writeString(file, "*:*:*:*:" + pw + "\n");
        check(new Cli(home).env("PGPASSFILE", file.toString()), pw, "~/.pgpass");
    }

    private void check(Cli cli, String pw, String source) throws Exception {
        cli.env("MINSKY_SESSIONDB_BACKEND", "json");
        assertEquals(0, cli.run("session", "start", "task-1", "--repo", "https://example.org/org/" + pw + ".git").code());
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path file = out.resolve("b.zip");
        Cli.Result r = cli.run("doctor", "--bundle", file.toString(), "--include-data");
        assertTrue(Files.isRegularFile(file), r.toString());
        Map<String, byte[]> entries = BundleFixtures.unpack(file, tmp);
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if ((e.getKey() + new String(e.getValue(), StandardCharsets.UTF_8)).contains(pw)) {
                leaks.add(e.getKey());
            }
        }
        JsonNode manifest = Bundler.JSON.readTree(entries.get("manifest.json"));
        List<String> sources = new ArrayList<>();
        manifest.path("sanitizer").path("knownSecretSources").forEach(n -> sources.add(n.asText()));
        assertTrue(sources.contains(source), "the password file is a known source: " + sources);
        assertTrue(leaks.isEmpty(), "the password is in " + leaks);
        assertTrue(Bundler.JSON.readTree(entries.get("sessions.json")).toString().contains("example.org/org/"),
                "the session the password was put in is in the bundle");
    }
}
