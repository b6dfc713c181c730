package dev.minsky.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.config.Settings;
import dev.minsky.doctor.fix.StoreState;
import dev.minsky.store.RepairReport;
import dev.minsky.store.SessionStore;
import dev.minsky.store.StoreProvider;
import dev.minsky.store.StoreSecrets;
import dev.minsky.store.Stores;
import dev.minsky.store.VerifyReport;
import dev.minsky.testutil.BrokenStates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the core asks a backend's {@link StoreProvider} (issue 9.1), answered by the three built-in
 * providers as found through {@link Stores} (the same ServiceLoader path as a plugin's), on real
 * files; and what a backend that answers nothing gets from the defaults.
 */
class BackendProvidersTest {
    @TempDir
    Path home;

    @Test
    void the_built_in_backends_are_found_like_a_plugin_and_name_themselves() {
        assertEquals(List.of("json", "sqlite", "postgres"), Stores.ids().subList(0, 3));
        assertEquals("JSON", Stores.provider("json").displayName());
        assertEquals("SQLite", Stores.provider("sqlite").displayName());
        assertEquals("PostgreSQL", Stores.provider("postgres").displayName());
        assertEquals(Settings.JSON_FILE, Stores.provider("json").storeFileName());
        assertEquals(Settings.SQLITE_FILE, Stores.provider("sqlite").storeFileName());
        assertNull(Stores.provider("postgres").storeFileName(), "a server keeps no store file");
        assertTrue(Stores.isFileBackend("json") && Stores.isFileBackend("sqlite"));
        assertFalse(Stores.isFileBackend("postgres"));
        assertFalse(Stores.isFileBackend("no-such-backend"));
    }

    @Test
    void sqlite_files_come_with_their_companions_and_are_counted_without_sqlite_writing() throws Exception {
        BrokenStates.Built b = BrokenStates.healthySqlite(home, 7);
        Settings s = BrokenStates.settings(home);
        StoreProvider p = Stores.provider("sqlite");
        assertEquals(b.store().toAbsolutePath().normalize(), p.storeFile(s).toAbsolutePath().normalize());
        assertEquals(List.of("-wal", "-shm", "-journal"), p.companionSuffixes());
        Path db = b.store().toAbsolutePath();
        assertEquals(List.of(db, Path.of(db + "-wal"), Path.of(db + "-shm"), Path.of(db + "-journal")), StoreState.files(s));
        assertEquals(7, p.countSessions(db));
        assertFalse(Files.exists(Path.of(db + "-wal")) || Files.exists(Path.of(db + "-shm")), "counting left a -wal or -shm");
        try (SessionStore store = p.openForReading(s)) {
            assertEquals(7, store.census(List.of()).count());
        }
        assertFalse(Files.exists(Path.of(db + "-wal")), "reading left a -wal");
        assertEquals(-1, p.countSessions(home.resolve("no-such.db")));
        assertTrue(Stores.provider("json").countSessions(db) <= 0, "an SQLite file holds no JSON session");
        assertEquals(Map.of("sessiondb.dbPath", "/x/y/found.db"), p.configFor(Path.of("/x/y/found.db")));
        Settings at = p.atFile(s, Path.of("/x/y/found.db"));
        assertEquals("sqlite", at.backend());
        assertEquals(Path.of("/x/y/found.db"), at.sqlitePath());
        assertEquals(s.jsonPath(), at.jsonPath());
    }

    @Test
    void a_json_store_is_counted_and_has_no_companions() throws Exception {
        BrokenStates.Built b = BrokenStates.healthyJson(home, 4);
        Settings s = BrokenStates.settings(home);
        StoreProvider p = Stores.provider("json");
        assertEquals(List.of(), p.companionSuffixes());
        assertEquals(List.of(b.store().toAbsolutePath()), StoreState.files(s));
        assertEquals(4, p.countSessions(b.store()));
        assertEquals(Map.of("sessiondb.baseDir", "/x/y"), p.configFor(Path.of("/x/y/sessions.json")));
        Settings at = p.atFile(s, Path.of("/x/y/sessions.json"));
        assertEquals("json", at.backend());
        assertEquals(Path.of("/x/y/sessions.json"), at.jsonPath());
        assertEquals(Path.of("/x/y"), at.baseDir());
        assertNull(p.secrets());
        assertNull(p.configProblem(s));
    }

    @Test
    void postgres_says_where_its_password_is_and_what_is_wrong_with_its_config() throws Exception {
        StoreProvider p = Stores.provider("postgres");
        Settings s = BrokenStates.settings(home);
        Settings none = new Settings("postgres", s.stateDir(), s.baseDir(), s.jsonPath(), s.sqlitePath(), null, 4, 30000);
        assertEquals(new StoreProvider.ConfigProblem("the backend is postgres but no connection string is configured",
                "missing-connection-string"), p.configProblem(none));
        Settings bad = new Settings("postgres", s.stateDir(), s.baseDir(), s.jsonPath(), s.sqlitePath(), "mysql://h/db", 4, 30000);
        assertEquals("bad-value", p.configProblem(bad).kind());
        Settings good = new Settings("postgres", s.stateDir(), s.baseDir(), s.jsonPath(), s.sqlitePath(),
                "postgresql://u@db.example:5432/minsky", 4, 30000);
        assertNull(p.configProblem(good));

        StoreSecrets sec = p.secrets();
        assertNotNull(sec);
        assertEquals("sessiondb.connectionString", sec.configKey());
        assertTrue(sec == Stores.secretsIn("sessiondb.connectionString"));
        assertNull(Stores.secretsIn("sessiondb.dbPath"));
        String withPw = "postgresql://u:s3cret@db.example:5432/minsky";
        assertTrue(sec.hasSecret(withPw));
        assertFalse(sec.withoutSecret(withPw).contains("s3cret"));
        assertFalse(sec.hasSecret(sec.withoutSecret(withPw)));
        Path cfg = home.resolve("a.yaml");
        Path clean = home.resolve("b.yaml");
        Files.writeString(cfg, "sessiondb:\n  connectionString: \"" + withPw + "\"\n");
        Files.writeString(clean, "sessiondb:\n  backend: \"sqlite\"\n");
        assertEquals(List.of(cfg), Stores.filesWithSecrets(List.of(clean, cfg)));
        assertEquals(home.resolve(".pgpass"), sec.secretFile(k -> null, home));
    }

    /** A backend written against the first API (only the abstract methods) still gets sane answers. */
    @Test
    void a_backend_that_answers_nothing_gets_the_defaults() {
        StoreProvider bare = new StoreProvider() {
            public String id() { return "bare"; }
            public String location(Settings s) { return "somewhere"; }
            public boolean exists(Settings s) { return false; }
            public SessionStore open(Settings s, boolean create) { throw new UnsupportedOperationException(); }
            public void init(Settings s) {}
            public void destroy(Settings s) {}
            public int currentSchemaVersion() { return 1; }
            public VerifyReport verify(Settings s) { throw new UnsupportedOperationException(); }
            public RepairReport repair(Settings s, Clock c) { throw new UnsupportedOperationException(); }
        };
        Settings s = BrokenStates.settings(home);
        assertEquals("bare", bare.displayName());
        assertNull(bare.storeFileName());
        assertNull(bare.storeFile(s));
        assertEquals(List.of(), bare.companionSuffixes());
        assertEquals(-1, bare.countSessions(home));
        assertEquals(Map.of(), bare.configFor(home.resolve("x")));
        assertNull(bare.configProblem(s));
        assertNull(bare.secrets());
        bare.warmUp();
        Settings at = bare.atFile(s, home.resolve("dir/file"));
        assertEquals("bare", at.backend());
        assertEquals(home.resolve("dir"), at.baseDir());
    }
}
