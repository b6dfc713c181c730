package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -q}/{@code --quiet} is in every help and drops the progress lines, not the results. */
class QuietOptionTest {
    @TempDir
    Path home;

    @Test
    void every_command_with_progress_shows_quiet_in_its_help() {
        Cli cli = new Cli(home);
        for (String[] cmd : new String[][] {{"sessiondb", "import"}, {"sessiondb", "export"}, {"sessiondb", "migrate", "to"},
                {"sessiondb", "verify"}, {"sessiondb", "repair"}, {"sessiondb", "recover"}, {"sessiondb", "restore"},
                {"doctor"}, {"session", "list"}}) {
            String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 1);
            args[cmd.length] = "--help";
            Cli.Result r = cli.run(args);
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().contains("-q, --quiet"), String.join(" ", cmd) + ":\n" + r.out());
        }
    }

    @Test
    void quiet_drops_the_progress_lines_of_a_large_store_but_not_the_result() throws Exception {
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "json").code());
        java.nio.file.Files.writeString(cli.stateDir().resolve("session-db.json"), SessionDbMigrationTest.records(6_000));
        Cli.Result loud = cli.run("sessiondb", "migrate", "to", "sqlite");
        assertEquals(0, loud.code(), loud.toString());
        assertTrue(loud.err().contains("minsky: copying 6000 sessions to sqlite"), loud.err());
        Cli.Result quiet = cli.run("sessiondb", "migrate", "to", "json", "--quiet");
        assertEquals(0, quiet.code(), quiet.toString());
        assertTrue(!quiet.err().contains("minsky: copying") && !quiet.err().contains("minsky: read"), quiet.err());
        assertTrue(quiet.out().contains("Migrated 6000 sessions"), quiet.out());
    }
}
