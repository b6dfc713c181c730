package dev.minsky.backend.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.MinskyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libpq's TLS parameters and environment, and its password-file rules, as minsky applies them. */
class PgConnectionParametersTest {
    @TempDir
    Path dir;

    @Test
    void require_with_a_root_cert_verifies_the_chain_as_libpq_does() {
        Properties p = PgUrl.parse("postgresql://u@h/db?sslmode=require&sslrootcert=/ca.crt").properties();
        assertEquals("verify-ca", p.getProperty("sslmode"));
        assertEquals("/ca.crt", p.getProperty("sslrootcert"));
        assertEquals("require", PgUrl.parse("postgresql://u@h/db?sslmode=require").properties().getProperty("sslmode"));
        assertEquals("verify-ca", PgUrl.parse("postgresql://u@h/db?sslmode=require&sslrootcert=/ca.crt").sslMode());
    }

    @Test
    void sslrootcert_system_trusts_the_jvm_cas_and_means_verify_full() {
        PgUrl u = PgUrl.parse("postgresql://u@h/db?sslrootcert=system");
        Properties p = u.properties();
        assertEquals("verify-full", p.getProperty("sslmode"));
        assertEquals("org.postgresql.ssl.DefaultJavaSSLFactory", p.getProperty("sslfactory"));
        assertNull(p.getProperty("sslrootcert"));
    }

    @Test
    void an_unknown_sslmode_is_bad_input_naming_the_allowed_ones() {
        MinskyException e = assertThrows(MinskyException.class, () -> PgUrl.parse("postgresql://u:secret1@h/db?sslmode=required"));
        assertTrue(e.getMessage().contains("verify-full"), e.getMessage());
        assertFalse(e.getMessage().contains("secret1"), e.getMessage());
    }

    @Test
    void libpq_names_are_mapped_and_passfile_stays_with_minsky() {
        Properties p = PgUrl.parse("postgresql://u@h/db?application_name=x&connect_timeout=7&passfile=/nope").properties();
        assertEquals("x", p.getProperty("ApplicationName"));
        assertEquals("7", p.getProperty("connectTimeout"));
        assertNull(p.getProperty("passfile"));
        assertNull(p.getProperty("password"));
    }

    @Test
    void the_environment_fills_in_what_the_string_leaves_out_and_the_string_wins() {
        Map<String, String> env = Map.of("PGSSLMODE", "verify-full", "PGSSLROOTCERT", "/env-ca.crt", "PGPASSWORD", "p w+x&y");
        PgUrl a = PgUrl.parse(PgEnvironment.apply("postgresql://u@h/db", env::get, dir));
        assertEquals("verify-full", a.params().get("sslmode"));
        assertEquals("/env-ca.crt", a.params().get("sslrootcert"));
        assertEquals("p w+x&y", a.password(), "PGPASSWORD, with characters that need encoding");
        PgUrl b = PgUrl.parse(PgEnvironment.apply("postgresql://u:mine@h/db?sslmode=disable", env::get, dir));
        assertEquals("disable", b.params().get("sslmode"));
        assertEquals("mine", b.password());
        PgUrl c = PgUrl.parse(PgEnvironment.apply("postgresql://u@h/db", Map.<String, String>of()::get, dir));
        assertEquals(dir.resolve(".pgpass").toString(), c.params().get("passfile"));
        assertEquals("not a url", PgEnvironment.apply("not a url", env::get, dir));
    }

    private Path pgpass(String text, String mode) throws Exception {
        Path f = dir.resolve("pgpass");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void the_first_matching_line_wins_with_wildcards_and_escapes() throws Exception {
        Path f = pgpass("# comment\nother:5432:*:*:no\nh:5432:db:u\\:x:colon-user\nh:*:*:u:p\\:w\\\\d:tail\nh:5432:db:u:later\n", "rw-------");
        assertEquals("p:w\\d:tail", PgPass.lookup(f, "h", 5432, "db", "u").password());
        assertEquals("colon-user", PgPass.lookup(f, "h", 5432, "db", "u:x").password());
        assertNull(PgPass.lookup(f, "h2", 5432, "db", "u").password());
        assertEquals(List.of("a", "b", "c", "d", "e:f"), PgPass.fields("a:b:c:d:e:f"));
        assertEquals("h:1:d\\:b:u\\\\s:p\\:w", PgPass.line("h", 1, "d:b", "u\\s", "p:w"));
    }

    @Test
    void a_file_others_can_read_is_ignored_with_a_warning_that_holds_no_password() throws Exception {
        Path f = pgpass("*:*:*:*:topsecret\n", "rw-r-----");
        PgPass.Result r = PgPass.lookup(f, "h", 5432, "db", "u");
        assertNull(r.password());
        assertTrue(r.warning().contains("group or world access"), r.warning());
        assertFalse(r.warning().contains("topsecret"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertEquals("topsecret", PgPass.lookup(f, "h", 5432, "db", "u").password());
    }

    @Test
    void a_fifo_as_password_file_is_refused_at_once() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0);
        PgPass.Result r = PgPass.lookup(fifo, "h", 5432, "db", "u");
        assertNull(r.password());
        assertTrue(r.warning().contains("not a regular file"), r.warning());
    }

    @Test
    void the_password_is_taken_out_of_a_connection_string() {
        assertEquals("postgresql://u@h:5432/db", PasswordInConfig.withoutPassword("postgresql://u:s3cr%40t@h:5432/db"));
        assertEquals("postgresql://u@h/db?sslmode=require",
                PasswordInConfig.withoutPassword("postgresql://u@h/db?password=x&sslmode=require"));
        assertEquals("postgresql://u@h/db?sslmode=require",
                PasswordInConfig.withoutPassword("postgresql://u@h/db?sslmode=require&password=x"));
        assertTrue(PasswordInConfig.hasPassword("postgresql://u:p@h/db"));
        assertFalse(PasswordInConfig.hasPassword("postgresql://u@h/db?sslmode=require"));
    }
}
