package dev.minsky.backend.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.PostgresServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password need not sit in the config: against a real server that requires SCRAM passwords,
 * a connection string without one takes it from PGPASSWORD, then PGPASSFILE or ~/.pgpass (by
 * libpq's rules, including its refusal of a file others can read); {@code config set} warns about
 * a password and {@code --move-password} moves it; the doctor reports a readable config file that
 * holds one. No output carries the password.
 */
class PostgresPasswordTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    /** user, password, and the URL without the password. */
    private record Role(String user, String password, String url, String withPassword) {}

    private static Role role(String prefix) {
        String url = PostgresServer.shared().newDatabase(prefix);
        URI u = URI.create(url);
        String[] ui = u.getUserInfo().split(":", 2);
        return new Role(ui[0], ui[1], url.replace(":" + ui[1] + "@", "@"), url);
    }

    private static void noSecret(Cli.Result r, String pw) {
        assertFalse(r.out().contains(pw) || r.err().contains(pw), "the password leaked: " + r);
    }

    private Cli cli(Role r) {
        return new Cli(home).env("MINSKY_POSTGRES_URL", r.url()).env("MINSKY_SESSIONDB_BACKEND", "postgres");
    }

    private static void works(Cli cli, Role r) {
        Cli.Result init = cli.run("sessiondb", "init", "--backend", "postgres");
        assertEquals(0, init.code(), init.toString());
        Cli.Result start = cli.run("session", "start", "pw-1", "--repo", "/tmp/r");
        assertEquals(0, start.code(), start.toString());
        Cli.Result list = cli.run("session", "list");
        assertEquals(0, list.code(), list.toString());
        assertTrue(list.out().contains("pw-1"), list.out());
        noSecret(init, r.password());
        noSecret(start, r.password());
    }

    private Path writePgpass(Path file, String content, String mode) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void the_password_comes_from_PGPASSWORD() {
        Role r = role("pgpw");
        works(cli(r).env("PGPASSWORD", r.password()), r);
    }

    @Test
    void the_password_comes_from_PGPASSFILE_with_wildcards_and_escapes() throws Exception {
        Role r = role("pgpf");
        String odd = "a:b\\c-" + r.password();
        PostgresServer.shared().sql("ALTER ROLE " + r.user() + " PASSWORD '" + odd.replace("'", "''") + "'");
        Path file = writePgpass(home.resolve("secrets/pgpass"),
                "# comments and other servers first\n127.0.0.1:1:*:*:wrong\n"
                        + "127.0.0.1:" + PostgresServer.shared().port() + ":*:" + r.user() + ":" + odd.replace("\\", "\\\\").replace(":", "\\:") + "\n",
                "rw-------");
        Role withOdd = new Role(r.user(), odd, r.url(), null);
        works(cli(withOdd).env("PGPASSFILE", file.toString()), withOdd);
    }

    @Test
    void a_pgpass_others_can_read_is_ignored_as_libpq_does() throws Exception {
        Role r = role("pgperm");
        writePgpass(home.resolve(".pgpass"), "*:*:*:" + r.user() + ":" + r.password() + "\n", "rw-r--r--");
        Cli cli = cli(r);
        Cli.Result list = cli.run("session", "list");
        assertEquals(3, list.code(), list.toString());
        assertTrue(list.err().contains("asks for a password"), list.toString());
        assertTrue(list.err().contains(".pgpass"), "the hint names the password file: " + list);
        noSecret(list, r.password());
        Cli.Result doctor = cli.run("doctor", "--json");
        JsonNode report = JSON.readTree(doctor.out());
        String facts = report.get("facts").toString();
        assertTrue(facts.contains("group or world access"), facts);
        assertTrue(facts.contains("no-password"), facts);
        noSecret(doctor, r.password());

        Files.setPosixFilePermissions(home.resolve(".pgpass"), PosixFilePermissions.fromString("rw-------"));
        works(cli, r);
    }

    @Test
    void config_set_warns_about_a_password_and_move_password_moves_it_to_pgpass() throws Exception {
        Role r = role("pgmove");
        Cli cli = new Cli(home);
        Cli.Result set = cli.run("config", "set", "sessiondb.connectionString", r.withPassword());
        assertEquals(0, set.code(), set.toString());
        assertTrue(set.err().contains("warning: the password is now stored in plain text"), set.toString());
        assertTrue(set.err().contains("--move-password"), set.toString());
        noSecret(set, r.password());
        assertEquals(0, cli.run("config", "set", "sessiondb.backend", "postgres").code());

        Cli.Result move = cli.run("config", "set", "sessiondb.connectionString", "--move-password");
        assertEquals(0, move.code(), move.toString());
        noSecret(move, r.password());
        assertFalse(move.err().contains("warning"), move.toString());
        Path pgpass = home.resolve(".pgpass");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pgpass)));
        assertTrue(Files.readString(pgpass).contains(":" + r.user() + ":" + r.password()), "the line is in ~/.pgpass");
        String config = Files.readString(home.resolve(".config/minsky/config.yaml"));
        assertFalse(config.contains(r.password()), config);
        assertTrue(config.contains(r.user() + "@127.0.0.1"), config);
        works(cli, r);
    }

    @Test
    void the_doctor_reports_a_password_in_a_config_file_others_can_read_and_chmods_it() throws Exception {
        Role r = role("pgexp");
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("config", "set", "sessiondb.connectionString", r.withPassword()).code());
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "postgres").code());
        Path config = home.resolve(".config/minsky/config.yaml");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

        Cli.Result doctor = cli.run("doctor", "--json");
        JsonNode report = JSON.readTree(doctor.out());
        JsonNode finding = null;
        for (JsonNode f : report.get("findings")) {
            if (f.get("cause").asText().equals("config.exposed-password")) {
                finding = f;
            }
        }
        assertTrue(finding != null, report.toPrettyString());
        assertEquals("warning", finding.get("severity").asText());
        assertTrue(finding.toString().contains(config.toString()), finding.toString());
        noSecret(doctor, r.password());

        Cli.Result fix = cli.run("doctor", "--fix");
        noSecret(fix, r.password());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)), fix.toString());
        Cli.Result again = cli.run("doctor", "--json");
        assertFalse(again.out().contains("config.exposed-password"), again.out());

        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        Cli.Result privateFile = cli.run("doctor", "--json");
        assertFalse(privateFile.out().contains("\"config.exposed-password\""), "a private file is no finding");
    }
}
