package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values that cannot be right are refused with exit 2 and a hint, and change nothing. */
class ValuesThatCannotBeRightTest {
    @TempDir
    Path home;

    private static void refused(Cli.Result r, String says) {
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(says) && r.err().contains("hint:"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void an_unknown_log_component_is_refused_with_the_known_ones() {
        refused(new Cli(home).run("logs", "--component", "nosuch"), "unknown log component 'nosuch'");
        assertEquals(0, new Cli(home).run("logs", "--component", "sessiondb").code());
    }

    @Test
    void a_missing_knowledge_base_directory_is_refused() {
        refused(new Cli(home).run("doctor", "--kb", home.resolve("nonexistent").toString()), "no such directory");
    }

    @Test
    void a_connection_string_that_is_not_a_postgres_url_is_refused_and_not_stored() {
        Cli cli = new Cli(home);
        refused(cli.run("config", "set", "sessiondb.connectionString", "notaurl"), "invalid PostgreSQL connection string");
        assertFalse(Files.exists(home.resolve(".config/minsky/config.yaml")), "nothing was written");
        assertEquals(0, cli.run("config", "set", "sessiondb.connectionString", "postgresql://u@localhost:5432/db").code());
    }

    @Test
    void an_unknown_log_level_is_refused_from_the_environment_and_the_flag() {
        refused(new Cli(home).env("MINSKY_LOG_LEVEL", "bogus").run("session", "list"), "unknown log level 'bogus' in MINSKY_LOG_LEVEL");
        refused(new Cli(home).run("--log-level", "loud", "session", "list"), "unknown log level 'loud'");
        assertEquals(0, new Cli(home).env("MINSKY_LOG_LEVEL", "DEBUG").run("session", "list").code());
        assertEquals(0, new Cli(home).run("session", "list", "--log-level", "warn").code());
    }
}
