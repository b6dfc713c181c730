package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.backend.sqlite.SqliteFiles;
import dev.minsky.model.SessionJson;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * No command of minsky leaves a state that its doctor calls a fault: every command of the guide,
 * run on a healthy store of each backend, is followed by {@code doctor --json}, which must say
 * healthy, exit 0 and report nothing of severity error or warning. On SQLite the command must also
 * leave no {@code -wal}/{@code -shm} behind (they were what 'sessiondb healthcheck; doctor' tripped on).
 */
class CommandsLeaveHealthyStoreTest {
    /** A session every healthy store built by {@link BrokenStates} holds. */
    static final String EXISTING = "task-1d-0";

    @TempDir
    Path home;

    /** One command of the guide; {@code args} may use the home for files it reads or writes. */
    record Command(String label, Function<Path, String[]> args) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Command cmd(String... args) {
        return new Command(String.join(" ", args), home -> args);
    }

    static List<Command> commands(String backend) {
        List<Command> c = new ArrayList<>(List.of(
                cmd("session", "start", "fresh-one", "--task", "md#7"),
                cmd("session", "list"),
                cmd("session", "list", "--json"),
                cmd("session", "get", EXISTING),
                cmd("session", "end", EXISTING),
                cmd("session", "delete", EXISTING),
                cmd("session", "clean", "--older-than", "30d"),
                cmd("sessiondb", "init", "--backend", backend, "--force"),
                cmd("sessiondb", "migrate", "status"),
                cmd("sessiondb", "test-connection"),
                cmd("sessiondb", "verify"),
                cmd("sessiondb", "export", "--all", "--format", "json"),
                new Command("sessiondb import --file EXPORT", home -> new String[] {"sessiondb", "import", "--file",
                        home.resolve("export.json").toString()}),
                cmd("sessiondb", "healthcheck"),
                new Command("sessiondb restore --backup EXPORT --to " + backend, home -> new String[] {"sessiondb",
                        "restore", "--backup", home.resolve("export.json").toString(), "--to", backend}),
                cmd("config", "list"),
                cmd("config", "get", "sessiondb.backend"),
                cmd("config", "set", "sessiondb.maxConnections", "12"),
                cmd("logs", "--component", "sessiondb", "--tail", "5"),
                cmd("doctor"),
                cmd("doctor", "--fix", "--dry-run"),
                new Command("doctor --bundle FILE", home -> new String[] {"doctor", "--bundle",
                        home.resolve("bundle.zip").toString()})));
        if (backend.equals("sqlite")) {
            c.add(cmd("sessiondb", "repair", "--backend", "sqlite", "--auto-recover"));
            c.add(cmd("sessiondb", "verify", "--repair"));
        }
        return c;
    }

    static Stream<Arguments> every_command(String backend) {
        return commands(backend).stream().map(c -> Arguments.of(c));
    }

    static Stream<Arguments> json() {
        return every_command("json");
    }

    static Stream<Arguments> sqlite() {
        return every_command("sqlite");
    }

    static Stream<Arguments> postgres() {
        return every_command("postgres");
    }

    @ParameterizedTest(name = "json: {0}")
    @MethodSource("json")
    void a_command_on_a_healthy_json_store_leaves_it_healthy(Command c) throws Exception {
        BrokenStates.healthyJson(home, 3);
        runThenDoctor(c, null);
    }

    @ParameterizedTest(name = "sqlite: {0}")
    @MethodSource("sqlite")
    void a_command_on_a_healthy_sqlite_store_leaves_it_healthy_and_without_wal_files(Command c) throws Exception {
        Path db = BrokenStates.healthySqlite(home, 3).store();
        assertFalse(Files.exists(SqliteFiles.wal(db)) || Files.exists(SqliteFiles.shm(db)), "the healthy store has WAL files");
        runThenDoctor(c, db);
    }

    @ParameterizedTest(name = "postgres: {0}")
    @MethodSource("postgres")
    void a_command_on_a_healthy_postgres_store_leaves_it_healthy(Command c) throws Exception {
        PostgresServer.assumeInstalled();
        BrokenStates.healthyPostgres(home, PostgresServer.shared(), 3);
        runThenDoctor(c, null);
    }

    private void runThenDoctor(Command c, Path sqlite) throws Exception {
        Cli cli = new Cli(home);
        Cli.Result export = cli.run("sessiondb", "export", "--all", "--format", "json");
        assertEquals(0, export.code(), "making the export the import/restore commands read: " + export);
        Files.writeString(home.resolve("export.json"), export.out());
        if (sqlite != null) {
            assertNoWalFiles(sqlite, "sessiondb export (setting up)");
        }

        Cli.Result r = cli.run(c.args().apply(home));
        assertEquals(0, r.code(), "'" + c.label() + "' on a healthy store: " + r);
        if (sqlite != null) {
            assertNoWalFiles(sqlite, c.label());
        }

        Cli.Result d = cli.run("doctor", "--json");
        JsonNode doc = SessionJson.mapper().readTree(d.out());
        List<String> faults = new ArrayList<>();
        for (JsonNode f : doc.get("findings")) {
            String sev = f.get("severity").asText();
            if (sev.equals("error") || sev.equals("warning")) {
                faults.add(f.get("cause").asText() + " (" + sev + ")");
            }
        }
        assertEquals(List.of(), faults, "after '" + c.label() + "' the doctor finds faults: " + d);
        assertTrue(doc.get("healthy").asBoolean(), "after '" + c.label() + "': " + d);
        assertEquals(0, d.code(), "after '" + c.label() + "': " + d);
        if (sqlite != null) {
            assertNoWalFiles(sqlite, "doctor --json after " + c.label());
        }
    }

    private static void assertNoWalFiles(Path db, String after) {
        assertFalse(Files.exists(SqliteFiles.wal(db)), "'" + after + "' left " + SqliteFiles.wal(db));
        assertFalse(Files.exists(SqliteFiles.shm(db)), "'" + after + "' left " + SqliteFiles.shm(db));
    }
}
