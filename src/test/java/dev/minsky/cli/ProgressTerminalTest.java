package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.Cli;
import dev.minsky.testutil.Pty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress bar as a user sees it: minsky run as its own process on a pseudo-terminal ({@link Pty})
 * on a store of 100,000 sessions, large enough that every command here takes well over the one
 * second before a bar appears. The frames are checked as drawn ({@link Pty.Result#rawFrames()}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProgressTerminalTest {
    private static final int SESSIONS = 100_000;

    private Path home;
    private Cli cli;
    private Path file;

    @BeforeAll
    void bigStore(@TempDir Path dir) throws Exception {
        home = dir;
        cli = new Cli(home);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "sqlite").code());
        file = home.resolve("sessions.json");
        Files.writeString(file, SessionDbMigrationTest.records(SESSIONS));
        // filled once, in-process (no terminal): each test's command then works on 100,000 sessions
        Cli.Result r = cli.run("sessiondb", "import", "--file", file.toString());
        assertEquals(0, r.code(), r.toString());
        assertFalse(Pty.FRAME.matcher(r.err()).find(), "in-process, stderr is no terminal: " + r.err());
    }

    /** Runs {@code shellCommand} ({@code MINSKY} standing for minsky's java command line) on a pty ({@link Pty}); what the terminal got. */
    private Pty.Result onTerminal(String shellCommand, Map<String, String> extraEnv) throws Exception {
        Map<String, String> env = new HashMap<>(cli.envMap());
        env.putAll(extraEnv);
        // a busy machine with other builds on it: 100,000 records take 10-40 s per command here
        Pty.Result r = Pty.run(home, env, shellCommand, 300);
        // the doctor exits 1 with findings (a new store has no recent backup); anything else is a failure
        assertTrue(r.code() == 0 || (shellCommand.startsWith("MINSKY doctor") && r.code() == 1), shellCommand + ": " + r);
        return r;
    }

    @Test
    void import_on_a_terminal_draws_frames_whose_counts_reach_the_total_then_erases_itself() throws Exception {
        Pty.Result r = onTerminal("MINSKY sessiondb import --file " + file, Map.of());
        String t = r.terminal();
        assertTrue(r.hasFrames(), "carriage returns redraw the line: " + t);
        assertTrue(r.rawFrames().stream().anyMatch(f -> f.startsWith("importing into sqlite [") && f.contains("/100,000 ")),
                "frames of the import with count/total: " + r.rawFrames());
        assertTrue(r.rawFrames().stream().anyMatch(f -> f.contains("100,000/100,000 100%")), "the count reaches the total: " + r.rawFrames());
        assertTrue(r.rawFrames().stream().anyMatch(f -> f.matches(".*[0-9,]+/s.*")), "a rate: " + r.rawFrames());
        int result = t.indexOf("Imported 100000 sessions");
        assertTrue(result > 0, t);
        String beforeResult = t.substring(0, result);
        assertTrue(beforeResult.endsWith("\r"), "the bar erased itself ('\\r' + blanks + '\\r') before the result line: "
                + beforeResult.substring(Math.max(0, beforeResult.length() - 200)));
    }

    @Test
    void export_with_stdout_into_a_pipe_still_shows_progress_on_the_terminal_stderr() throws Exception {
        // System.console() is null here (stdout is a pipe): the bar must come from stderr's own check
        Pty.Result r = onTerminal("MINSKY sessiondb export | wc -c", Map.of());
        assertTrue(r.rawFrames().stream().anyMatch(f -> f.startsWith("exporting [") && f.contains("/100,000")),
                "export's frames on stderr: " + r.rawFrames());
    }

    @Test
    void no_progress_when_stderr_is_a_pipe_with_json_or_with_quiet() throws Exception {
        String piped = onTerminal("MINSKY sessiondb import --file " + file + " 2>&1 | cat", Map.of()).terminal();
        assertFalse(Pty.FRAME.matcher(piped).find(), "stderr into a pipe: no frames: " + piped);
        assertTrue(piped.contains("Imported 100000 sessions"), piped);
        assertTrue(piped.contains("minsky: importing 100000 sessions"), "the plain progress line stays on a pipe: " + piped);

        String json = onTerminal("MINSKY sessiondb import --json --file " + file, Map.of()).terminal();
        assertFalse(Pty.FRAME.matcher(json).find(), "--json: no frames: " + json);
        assertTrue(json.contains("\"inFile\" : 100000"), json);

        String quiet = onTerminal("MINSKY sessiondb import --quiet --file " + file, Map.of()).terminal();
        assertFalse(Pty.FRAME.matcher(quiet).find(), "--quiet: no frames: " + quiet);
        assertFalse(quiet.contains("minsky: importing"), "--quiet: no progress lines either: " + quiet);
        assertTrue(quiet.contains("Imported 100000 sessions"), quiet);
    }

    @Test
    void the_doctor_says_which_probe_it_is_on_in_ascii_under_lang_c() throws Exception {
        // a healthy doctor run can be over within the bar's first second on a quiet machine: draw from the start
        Pty.Result r = onTerminal("MINSKY doctor", Map.of("LANG", "C", "LC_ALL", "C", "MINSKY_PROGRESS_DELAY_MS", "0"));
        List<String> frames = r.rawFrames();
        assertTrue(frames.stream().anyMatch(f -> f.matches("checking [a-zA-Z' ]+ \\([0-9]+/[0-9]+\\)\\.\\.\\. [0-9]+s\\s*")),
                "frames naming the probe and its place: " + frames);
        for (String f : frames) {
            assertTrue(f.chars().allMatch(c -> c < 128), "ASCII under LANG=C: " + f);
        }
    }
}
