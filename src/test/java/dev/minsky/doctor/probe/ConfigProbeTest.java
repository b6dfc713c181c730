package dev.minsky.doctor.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.minsky.testutil.BrokenStates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of config problem, written for real, gives its config.errorKind (this pins ConfigService's wording). */
class ConfigProbeTest {
    @TempDir
    Path home;

    private Path configFile() throws Exception {
        Path f = home.resolve(".config/minsky/config.yaml");
        Files.createDirectories(f.getParent());
        return f;
    }

    private Map<String, Object> facts() {
        return Probes.facts(home);
    }

    @Test
    void yaml_that_does_not_parse() throws Exception {
        Files.writeString(configFile(), "sessiondb:\n  backend: [json\n");
        Map<String, Object> f = facts();
        assertEquals(false, f.get("config.valid"));
        assertEquals("parse", f.get("config.errorKind"));
    }

    @Test
    void an_unknown_key() throws Exception {
        Files.writeString(configFile(), "sessiondb:\n  bakend: json\n");
        assertEquals("unknown-key", facts().get("config.errorKind"));
    }

    @Test
    void an_unknown_backend() throws Exception {
        Files.writeString(configFile(), "sessiondb:\n  backend: mongo\n");
        assertEquals("unknown-backend", facts().get("config.errorKind"));
    }

    @Test
    void a_bad_value() throws Exception {
        Files.writeString(configFile(), "sessiondb:\n  maxConnections: lots\n");
        assertEquals("bad-value", facts().get("config.errorKind"));
    }

    @Test
    void a_directory_where_the_config_file_belongs() throws Exception {
        Files.createDirectories(configFile());
        assertEquals("is-directory", facts().get("config.errorKind"));
    }

    @Test
    void postgres_without_a_connection_string_and_its_password_never_shown() throws Exception {
        BrokenStates.config(home, Map.of("backend", "postgres"));
        assertEquals("missing-connection-string", facts().get("config.errorKind"));
        BrokenStates.config(home, Map.of("backend", "postgres", "connectionString", "mysql://u:topsecret1@h/db"));
        Map<String, Object> f = facts();
        assertEquals("bad-value", f.get("config.errorKind"));
        assertFalse(f.toString().contains("topsecret1"), f.toString());
    }

    @Test
    void a_valid_config_names_the_store() throws Exception {
        BrokenStates.config(home, Map.of("backend", "json"));
        Map<String, Object> f = facts();
        assertEquals(true, f.get("config.valid"));
        assertEquals("json", f.get("config.backend"));
        assertEquals(home.resolve(".local/state/minsky/session-db.json").toString(), f.get("store.path"));
    }
}
