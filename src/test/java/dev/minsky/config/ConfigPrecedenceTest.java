package dev.minsky.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPrecedenceTest {
    @TempDir
    Path home;

    @Test
    void defaults_then_project_then_user_then_environment_then_flags() throws Exception {
        Path project = Files.createDirectories(home.resolve("work/repo/sub"));
        Files.createDirectories(home.resolve("work/repo/.minsky"));
        Files.writeString(home.resolve("work/repo/.minsky/config.yaml"), "sessiondb:\n  backend: json\n  maxConnections: 3\n");
        Cli cli = new Cli(home).cwd(project);
        assertEquals("json", cli.run("config", "get", "sessiondb.backend").out().trim(), "project beats default");
        assertTrue(cli.run("config", "get", "sessiondb.backend", "--json").out().contains("project"));

        cli.run("config", "set", "sessiondb.backend", "postgres");
        assertEquals("postgres", cli.run("config", "get", "sessiondb.backend").out().trim(), "user beats project");
        assertEquals("3", cli.run("config", "get", "sessiondb.maxConnections").out().trim(), "project keys stay visible");

        cli.env("MINSKY_SESSIONDB_BACKEND", "sqlite");
        assertEquals("sqlite", cli.run("config", "get", "sessiondb.backend").out().trim(), "environment beats user");

        assertEquals("json", cli.run("--backend", "json", "config", "get", "sessiondb.backend").out().trim(), "flag beats environment");
        assertEquals("json", cli.run("config", "get", "sessiondb.backend", "--backend", "json").out().trim(), "flags work after the subcommand too");
    }

    @Test
    void xdg_directories_are_honoured_and_relative_ones_ignored() {
        Cli cli = new Cli(home).env("XDG_STATE_HOME", home.resolve("st").toString()).env("XDG_CONFIG_HOME", home.resolve("cf").toString());
        assertEquals(home.resolve("st/minsky/sessions.db").toString(), cli.run("config", "get", "sessiondb.dbPath").out().trim());
        cli.run("config", "set", "sessiondb.backend", "json");
        assertTrue(Files.isRegularFile(home.resolve("cf/minsky/config.yaml")));
        cli.env("XDG_STATE_HOME", "relative/dir");
        assertEquals(home.resolve(".local/state/minsky/sessions.db").toString(), cli.run("config", "get", "sessiondb.dbPath").out().trim());
    }

    @Test
    void a_config_file_that_does_not_parse_is_reported_with_its_line_and_never_rewritten() throws Exception {
        Path file = home.resolve(".config/minsky/config.yaml");
        Files.createDirectories(file.getParent());
        String broken = "sessiondb:\n  backend: json\n   baseDir: [oops\n";
        Files.writeString(file, broken);
        Cli cli = new Cli(home);
        Cli.Result set = cli.run("config", "set", "sessiondb.backend", "sqlite");
        assertEquals(2, set.code(), set.toString());
        assertTrue(set.err().contains("line"), set.err());
        assertEquals(broken, Files.readString(file));
        Cli.Result list = cli.run("session", "list");
        assertEquals(2, list.code(), list.toString());
        assertTrue(list.err().contains("config"), list.err());
    }

    @Test
    void invalid_values_are_refused_with_the_allowed_ones() {
        Cli cli = new Cli(home);
        Cli.Result r = cli.run("config", "set", "sessiondb.backend", "mongo");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("json, sqlite, postgres"), r.err());
        assertEquals(2, cli.run("config", "set", "sessiondb.maxConnections", "zero").code());
        assertFalse(Files.exists(home.resolve(".config/minsky/config.yaml")), "nothing written on bad input");
    }

    @Test
    void unset_removes_a_key_and_config_file_is_private() throws Exception {
        Cli cli = new Cli(home);
        cli.run("config", "set", "sessiondb.connectionString", "postgresql://u:pw-secret@h/db");
        Path file = home.resolve(".config/minsky/config.yaml");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(cli.run("config", "get", "sessiondb.connectionString").out().contains("pw-secret"));
        assertEquals(0, cli.run("config", "unset", "sessiondb.connectionString").code());
        assertEquals(1, cli.run("config", "get", "sessiondb.connectionString").code());
    }
}
