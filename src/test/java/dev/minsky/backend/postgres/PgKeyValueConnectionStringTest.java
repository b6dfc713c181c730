package dev.minsky.backend.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.MinskyException;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.PostgresServer;
import dev.minsky.testutil.PostgresTlsServer;
import dev.minsky.util.Secrets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libpq's key=value connection strings ({@code host=h port=5432 dbname=d user=u password='p w'})
 * are accepted wherever a postgresql:// URL is, with libpq's quoting; against a real server they
 * do a session round trip, their password is masked in every output and can be moved to
 * ~/.pgpass; malformed ones are exit 2 and change nothing.
 */
class PgKeyValueConnectionStringTest {
    @TempDir
    Path home;

    /** A role on {@code server} whose password has a blank, a quote and a backslash. */
    private record Role(String user, String password, String db, PostgresServer server) {
        /** The key=value string, quoted by libpq's rules, with blanks around one '='. */
        String kv(String extra) {
            return "host=" + server.host() + "  port = " + server.port() + " dbname=" + db + " user=" + user
                    + " password='" + password.replace("\\", "\\\\").replace("'", "\\'") + "'" + (extra.isEmpty() ? "" : " " + extra);
        }
    }

    private static Role role(PostgresServer server, String prefix) {
        URI u = URI.create(server.newDatabase(prefix));
        String user = u.getUserInfo().split(":", 2)[0];
        String pw = "s3 cret'" + user.substring(user.length() - 6) + "\\x";
        server.sql("ALTER ROLE " + user + " PASSWORD '" + pw.replace("'", "''") + "'");
        return new Role(user, pw, u.getPath().substring(1), server);
    }

    private static void noSecret(Cli.Result r, String pw) {
        for (String form : List.of(pw, pw.replace("'", "\\'"), "s3 cret")) {
            assertFalse(r.out().contains(form) || r.err().contains(form), "the password leaked: " + r);
        }
    }

    private static void roundTrip(Cli cli, Role r, String name) {
        Cli.Result init = cli.run("sessiondb", "init", "--backend", "postgres");
        assertEquals(0, init.code(), init.toString());
        Cli.Result test = cli.run("sessiondb", "test-connection");
        assertEquals(0, test.code(), test.toString());
        Cli.Result start = cli.run("session", "start", name, "--repo", "/tmp/r");
        assertEquals(0, start.code(), start.toString());
        Cli.Result get = cli.run("session", "get", name, "--json");
        assertEquals(0, get.code(), get.toString());
        assertTrue(get.out().contains(name), get.out());
        for (Cli.Result x : List.of(init, test, start, get)) {
            noSecret(x, r.password());
        }
    }

    @Test
    void parses_libpq_quoting_escapes_and_blanks_around_the_equals_sign() {
        PgUrl u = PgUrl.parse("  host = db.example.com port=6543 dbname=minsky user=me password='s3 \\' cret\\\\' sslmode=require"
                + " sslrootcert=/etc/ca.pem application_name=x\\ y prepareThreshold=0 ");
        assertEquals("db.example.com", u.host());
        assertEquals(6543, u.port());
        assertEquals("minsky", u.database());
        assertEquals("me", u.user());
        assertEquals("s3 ' cret\\", u.password());
        assertEquals("verify-ca", u.sslMode(), "libpq's require with a root certificate verifies the chain");
        assertEquals("x y", u.params().get("application_name"));
        assertEquals("0", u.params().get("prepareThreshold"));
        assertEquals("jdbc:postgresql://db.example.com:6543/minsky", u.jdbcUrl());
        assertEquals("x y", u.properties().getProperty("ApplicationName"), "libpq's names are mapped as in a URL");
        PgUrl defaults = PgUrl.parse("dbname=d password=''");
        assertEquals("localhost", defaults.host());
        assertEquals(5432, defaults.port());
        assertEquals("", defaults.password());
        assertNull(defaults.user());
        assertEquals("postgresql://me:****@db.example.com:6543/minsky", u.masked());
    }

    @Test
    void malformed_strings_are_bad_input_naming_what_is_wrong_without_the_password() {
        String[][] cases = {
            {"host=h password='s3 cret", "has no closing quote"},
            {"host=h dbname password=s3cret", "missing '=' after 'dbname'"},
            {"host=h sslmod=require password=s3cret", "unknown key 'sslmod' (did you mean 'sslmode'?)"},
            {"host=h port=99999 password=s3cret", "not a port number"},
            {"host=h sslmode=on password=s3cret", "sslmode=on is not one of"},
            {"host=a,b password=s3cret", "a list of hosts"},
        };
        for (String[] c : cases) {
            MinskyException e = assertThrows(MinskyException.class, () -> PgUrl.parse(c[0]), c[0]);
            assertEquals(2, e.exitCode(), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("s3cret") || e.getMessage().contains("s3 cret"), e.getMessage());
        }
        assertTrue(assertThrows(MinskyException.class, () -> PgUrl.parse("host=h frobnicate=1")).getMessage()
                .contains("host, port, dbname, user, password"), "the valid keys are listed");
    }

    @Test
    void the_password_of_a_key_value_string_is_masked_like_a_urls() {
        String cs = "host=h user=u password = 's3 \\' cret' sslmode=disable";
        String masked = Secrets.mask(cs);
        assertFalse(masked.contains("s3"), masked);
        assertTrue(masked.contains("sslmode=disable") && masked.contains("user=u"), masked);
    }

    @Test
    void rewriting_a_key_value_string_keeps_its_form() {
        String cs = "host=h dbname=d user=u password='a b' sslmode=require";
        assertEquals("host=h dbname=d user=u sslmode=require", PasswordInConfig.withoutPassword(cs));
        String added = PgUrl.withParam(cs, "sslrootcert", "/my certs/ca.pem");
        assertEquals("/my certs/ca.pem", PgUrl.parse(added).params().get("sslrootcert"));
        assertEquals("a b", PgUrl.parse(added).password());
        String env = PgEnvironment.apply("host=h dbname=d user=u", k -> k.equals("PGPASSWORD") ? "p 'w" : k.equals("PGSSLMODE") ? "require" : null, null);
        assertEquals("p 'w", PgUrl.parse(env).password(), env);
        assertEquals("require", PgUrl.parse(env).sslMode(), env);
    }

    @Test
    void a_key_value_string_with_sslmode_disable_does_a_round_trip_from_the_environment() {
        PostgresServer.assumeInstalled();
        Role r = role(PostgresServer.shared(), "kvenv");
        Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", r.kv("sslmode=disable")).env("MINSKY_SESSIONDB_BACKEND", "postgres");
        roundTrip(cli, r, "kv-1");
        Cli.Result doctor = cli.run("doctor", "--json");
        noSecret(doctor, r.password());
        assertTrue(doctor.out().contains("postgres.connect"), doctor.out());
    }

    @Test
    void config_set_takes_a_key_value_string_masks_it_in_get_and_list_and_moves_its_password() throws Exception {
        PostgresServer.assumeInstalled();
        Role r = role(PostgresServer.shared(), "kvcfg");
        Cli cli = new Cli(home);
        Cli.Result set = cli.run("config", "set", "sessiondb.connectionString", r.kv("sslmode=disable"));
        assertEquals(0, set.code(), set.toString());
        assertTrue(set.err().contains("--move-password"), "warned about the plain-text password: " + set);
        noSecret(set, r.password());
        assertEquals(0, cli.run("config", "set", "sessiondb.backend", "postgres").code());
        for (String[] args : new String[][] {{"config", "get", "sessiondb.connectionString"}, {"config", "list"},
                {"config", "list", "--json"}}) {
            Cli.Result shown = cli.run(args);
            assertEquals(0, shown.code(), shown.toString());
            noSecret(shown, r.password());
            assertTrue(shown.out().contains("dbname=" + r.db()), shown.out());
        }
        roundTrip(cli, r, "kv-cfg");

        Cli.Result move = cli.run("config", "set", "sessiondb.connectionString", "--move-password");
        assertEquals(0, move.code(), move.toString());
        noSecret(move, r.password());
        String pgpass = Files.readString(home.resolve(".pgpass"));
        assertTrue(pgpass.contains(":" + r.user() + ":"), "the line is in ~/.pgpass");
        String config = Files.readString(home.resolve(".config/minsky/config.yaml"));
        assertFalse(config.contains("s3 cret") || config.contains("password"), config);
        assertTrue(config.contains("dbname=" + r.db()), "still a key=value string: " + config);
        Cli.Result after = cli.run("session", "get", "kv-cfg", "--json");
        assertEquals(0, after.code(), "the password now comes from ~/.pgpass: " + after);
    }

    @Test
    void the_doctor_reports_and_chmods_a_readable_config_holding_a_key_value_password() throws Exception {
        PostgresServer.assumeInstalled();
        Role r = role(PostgresServer.shared(), "kvexp");
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("config", "set", "sessiondb.connectionString", r.kv("")).code());
        assertEquals(0, cli.run("config", "set", "sessiondb.backend", "postgres").code());
        Path config = home.resolve(".config/minsky/config.yaml");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Cli.Result doctor = cli.run("doctor", "--json");
        assertTrue(doctor.out().contains("\"config.exposed-password\""), doctor.out());
        noSecret(doctor, r.password());
        Cli.Result fix = cli.run("doctor", "--fix");
        noSecret(fix, r.password());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)), fix.toString());
    }

    @Test
    void malformed_strings_exit_2_everywhere_and_change_nothing() throws Exception {
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("config", "set", "sessiondb.connectionString", "host=h dbname=d").code());
        Path config = home.resolve(".config/minsky/config.yaml");
        String before = Files.readString(config);
        for (String bad : List.of("host=h password='s3 cret", "host=h dbname user=u password=s3cret", "host=h sslmod=require")) {
            Cli.Result set = cli.run("config", "set", "sessiondb.connectionString", bad);
            assertEquals(2, set.code(), set.toString());
            assertTrue(set.err().contains("invalid PostgreSQL connection string"), set.toString());
            assertFalse(set.err().contains("Exception") || set.err().contains("\tat "), "no stack trace: " + set);
            noSecret(set, "s3cret");
            noSecret(set, "s3 cret");
            assertEquals(before, Files.readString(config), "the config is unchanged");
            Cli.Result test = cli.env("MINSKY_POSTGRES_URL", bad).run("--backend", "postgres", "sessiondb", "test-connection");
            assertEquals(2, test.code(), test.toString());
            noSecret(test, "s3 cret");
        }
        assertFalse(Files.exists(cli.stateDir().resolve("session-db.json")), "nothing was created");
    }

    @Test
    void migrate_to_postgres_takes_a_key_value_string() {
        PostgresServer.assumeInstalled();
        Role r = role(PostgresServer.shared(), "kvmig");
        Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", r.kv("sslmode=disable"));
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "json").code());
        assertEquals(0, cli.run("session", "start", "mig-1", "--repo", "/tmp/r").code());
        Cli.Result mig = cli.run("sessiondb", "migrate", "to", "postgres", "--verify");
        assertEquals(0, mig.code(), mig.toString());
        noSecret(mig, r.password());
        Cli.Result get = cli.run("session", "get", "mig-1", "--json");
        assertEquals(0, get.code(), get.toString());
    }

    @Test
    void a_key_value_string_with_sslmode_require_works_on_a_tls_only_cluster() {
        PostgresServer.assumeInstalled();
        try (PostgresTlsServer tls = PostgresTlsServer.start()) {
            Role r = role(tls.server(), "kvtls");
            Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", r.kv("sslmode=require")).env("MINSKY_SESSIONDB_BACKEND", "postgres");
            roundTrip(cli, r, "kv-tls");
            Cli plain = new Cli(home).env("MINSKY_POSTGRES_URL", r.kv("sslmode=disable")).env("MINSKY_SESSIONDB_BACKEND", "postgres");
            Cli.Result refused = plain.run("session", "list");
            assertEquals(3, refused.code(), refused.toString());
            assertTrue(refused.err().contains("accepts only TLS"), refused.toString());
            noSecret(refused, r.password());
        }
    }
}
