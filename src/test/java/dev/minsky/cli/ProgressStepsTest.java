package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.Cli;
import dev.minsky.testutil.PostgresServer;
import dev.minsky.testutil.Pty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress on the long steps that {@link ProgressTerminalTest} does not cover: the backup a
 * {@code doctor --fix} writes and its {@code json.salvage}, {@code sessiondb verify} (JSON, SQLite and
 * PostgreSQL, on the harness' own cluster) and {@code repair} (JSON and SQLite). Each
 * runs as its own process on a pseudo-terminal ({@link Pty}) over a store of {@value #SESSIONS}
 * sessions with {@code MINSKY_PROGRESS_DELAY_MS=0}, so that the bar draws from the start and the
 * test does not need a store big enough to take over a second on a quiet machine. A step that
 * reaches its total always draws its last frame, so each total shows whatever the machine's speed.
 * The same commands with stderr into a pipe, with {@code --json} and with {@code --quiet} draw nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProgressStepsTest {
    static final int SESSIONS = 10_000;
    private static final String N = "10,000";

    private Path root;
    private Path sqliteHome;
    private Path file;
    private Path jsonHome;

    @BeforeAll
    void stores(@TempDir Path dir) throws Exception {
        root = dir;
        sqliteHome = Files.createDirectories(dir.resolve("sqlite-home"));
        Cli cli = new Cli(sqliteHome);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "sqlite").code());
        file = dir.resolve("sessions.json");
        Files.writeString(file, SessionDbMigrationTest.records(SESSIONS));
        Cli.Result r = cli.run("sessiondb", "import", "--file", file.toString());
        assertEquals(0, r.code(), r.toString());
        jsonHome = Files.createDirectories(dir.resolve("json-home"));
        Cli json = new Cli(jsonHome);
        assertEquals(0, json.run("sessiondb", "init", "--backend", "json").code());
        r = json.run("sessiondb", "import", "--file", file.toString());
        assertEquals(0, r.code(), r.toString());
    }

    /** A fresh copy of a home (each command that changes the store gets its own). */
    private Path copyOf(Path home, String name) throws Exception {
        Path to = root.resolve(name);
        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : all.toList()) {
                Path t = to.resolve(home.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    private Pty.Result onTerminal(Path home, String command) throws Exception {
        return onTerminal(home, Map.of(), command);
    }

    private Pty.Result onTerminal(Path home, Map<String, String> extraEnv, String command) throws Exception {
        Map<String, String> env = new HashMap<>(new Cli(home).envMap());
        env.putAll(extraEnv);
        env.put("MINSKY_PROGRESS_DELAY_MS", "0");
        env.put("COLUMNS", "200"); // no step text cut to fit
        return Pty.run(root, env, command, 300);
    }

    private static boolean hasFrame(Pty.Result r, String start, String totalText) {
        return r.frames().stream().anyMatch(f -> f.startsWith(start) && f.contains("/" + totalText + " "));
    }

    /** The same command with stderr into a pipe, with --json and with --quiet: not one frame. */
    private void silentOffTerminal(Path home, String command, int... codes) throws Exception {
        silentOffTerminal(home, Map.of(), command, codes);
    }

    private void silentOffTerminal(Path home, Map<String, String> extraEnv, String command, int... codes) throws Exception {
        for (String variant : List.of(command + " 2>&1 | cat",
                command + " --json", command.replace("MINSKY ", "MINSKY --quiet "))) {
            Path fresh = copyOf(home, "silent-" + home.getFileName() + "-" + Math.abs(variant.hashCode()));
            Pty.Result r = onTerminal(fresh, extraEnv, variant);
            assertTrue(codeIn(r.code(), codes), variant + ": " + r);
            assertFalse(r.hasFrames(), variant + ": no progress frames: " + r);
        }
    }

    private static boolean codeIn(int code, int... codes) {
        for (int c : codes) {
            if (c == code) {
                return true;
            }
        }
        return false;
    }

    @Test
    void doctor_fix_counts_the_sessions_of_its_backup_and_the_bytes_read_back() throws Exception {
        Path home = copyOf(sqliteHome, "fix");
        Pty.Result r = onTerminal(home, "MINSKY doctor --fix --yes");
        assertTrue(r.code() == 0 || r.code() == 1, r.toString());
        assertTrue(hasFrame(r, "backup: writing " + N + " sessions [", N),
                "the backup's sessions counted against their total: " + r.frames());
        Path backup;
        try (Stream<Path> b = Files.list(home.resolve(".local/state/minsky/backups"))) {
            backup = b.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        String bytes = String.format(java.util.Locale.ROOT, "%,d", Files.size(backup));
        assertTrue(hasFrame(r, "backup: reading back (bytes) [", bytes),
                "the bytes read back counted against the file's size " + bytes + ": " + r.frames());
        assertTrue(r.frames().stream().anyMatch(f -> f.contains("/" + N + " 100%") && f.matches(".*[0-9,]+/s.*")),
                "the count reaches the total, with a rate: " + r.frames());
        silentOffTerminal(sqliteHome, "MINSKY doctor --fix --yes", 0, 1);
    }

    @Test
    void json_verify_counts_the_records_checked_up_to_the_count_found() throws Exception {
        Pty.Result r = onTerminal(jsonHome, "MINSKY sessiondb verify");
        assertEquals(0, r.code(), r.toString());
        assertTrue(hasFrame(r, "checking JSON records", N),
                "the records checked, counted up to the number found: " + r.frames());
        assertTrue(r.frames().stream().anyMatch(f -> f.contains(N + "/" + N + " 100%") && f.matches(".*[0-9,]+/s.*")),
                "the count reaches the total, with a rate: " + r.frames());
        silentOffTerminal(jsonHome, "MINSKY sessiondb verify", 0);
    }

    @Test
    void json_repair_counts_the_records_salvaged_written_and_read_back() throws Exception {
        Path home = copyOf(jsonHome, "json-damaged");
        Path store = dev.minsky.testutil.BrokenStates.settings(home).jsonPath();
        byte[] data = Files.readAllBytes(store);
        Files.write(store, java.util.Arrays.copyOf(data, data.length / 2)); // a write cut off half-way
        Pty.Result r = onTerminal(copyOf(home, "json-repair"), "MINSKY sessiondb repair --auto-recover");
        assertEquals(0, r.code(), r.toString());
        java.util.regex.Pattern written = java.util.regex.Pattern.compile(
                "writing salvaged records \\[=+\\] ([0-9,]+)/\\1 100% .*");
        String salvaged = r.frames().stream().map(written::matcher).filter(java.util.regex.Matcher::matches)
                .map(m -> m.group(1)).findFirst().orElseThrow(() -> new AssertionError("the records written, counted to their total: " + r.frames()));
        assertTrue(hasFrame(r, "salvaging JSON records", salvaged),
                "the records salvaged, counted: " + r.frames());
        assertTrue(hasFrame(r, "reading the repaired file back", salvaged), r.frames().toString());
        int kept = Integer.parseInt(salvaged.replace(",", ""));
        assertTrue(kept > SESSIONS / 3 && kept < SESSIONS, "about half the records come back: " + kept);
        silentOffTerminal(home, "MINSKY sessiondb repair --auto-recover", 0);
    }

    @Test
    void doctor_fix_json_salvage_counts_the_records_salvaged_written_and_read_back_against_the_sessions_kept() throws Exception {
        Path home = copyOf(jsonHome, "json-salvage-damaged");
        Path store = dev.minsky.testutil.BrokenStates.settings(home).jsonPath();
        byte[] data = Files.readAllBytes(store);
        byte[] cut = java.util.Arrays.copyOf(data, data.length / 2); // a write cut off half-way
        Files.write(store, cut);
        int complete = dev.minsky.model.JsonSalvage.read(cut).records().size();
        assertTrue(complete > SESSIONS / 3 && complete < SESSIONS, "about half the records are whole: " + complete);
        Path fixed = copyOf(home, "json-salvage");
        Pty.Result r = onTerminal(fixed, "MINSKY doctor --fix --yes");
        assertTrue(r.code() == 0 || r.code() == 1, r.toString());
        assertTrue(r.terminal().contains("json.salvage"), "the salvage was applied: " + r);
        int kept = dev.minsky.model.SessionJson.parse(Files.readAllBytes(dev.minsky.testutil.BrokenStates.settings(fixed).jsonPath())).size();
        assertEquals(complete, kept, "the store holds the whole records after the salvage: " + r);
        String k = String.format(java.util.Locale.ROOT, "%,d", kept);
        assertEquals(k, reached(r, "finding salvageable JSON records"), "the plan's scan, counted: " + r.frames());
        assertEquals(k, reached(r, "salvaging JSON records"), "the records salvaged, counted up to those kept: " + r.frames());
        assertTrue(hasFrame(r, "writing salvaged records [", k), "the records written against their total: " + r.frames());
        assertEquals(k, reached(r, "writing salvaged records"), r.frames().toString());
        assertEquals(k, reached(r, "reading the repaired file back"), "the read-back against the records written: " + r.frames());
        silentOffTerminal(home, "MINSKY doctor --fix --yes", 0, 1);
    }

    @Test
    void postgres_verify_counts_the_rows_checked_against_count_star() throws Exception {
        Map<String, String> pg = Map.of("MINSKY_POSTGRES_URL", PostgresServer.shared().newDatabase("progress"));
        Path home = Files.createDirectories(root.resolve("pg-home"));
        Cli cli = new Cli(home).env("MINSKY_POSTGRES_URL", pg.get("MINSKY_POSTGRES_URL"));
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "postgres").code());
        Cli.Result in = cli.run("sessiondb", "import", "--file", file.toString());
        assertEquals(0, in.code(), in.toString());
        Pty.Result v = onTerminal(home, pg, "MINSKY sessiondb verify");
        assertEquals(0, v.code(), v.toString());
        assertTrue(hasFrame(v, "verifying: rows checked [", N), "the rows checked against the table's count: " + v.frames());
        assertEquals(N, reached(v, "verifying: rows checked"), "the count reaches count(*), with a rate: " + v.frames());
        silentOffTerminal(home, pg, "MINSKY sessiondb verify", 0);
    }

    /** A frame of this step whose count reached its total ({@code n/n 100%}); the count, or null. */
    private static String reached(Pty.Result r, String step) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(step)
                + " \\[=+\\] ([0-9,]+)/\\1 100% [0-9,]+/s .*");
        return r.frames().stream().map(p::matcher).filter(java.util.regex.Matcher::matches).map(m -> m.group(1)).findFirst().orElse(null);
    }

    private Path damagedSqlite(String name) throws Exception {
        Path home = copyOf(sqliteHome, name);
        dev.minsky.testutil.BrokenStates.garbagePageInTheMiddle(dev.minsky.testutil.BrokenStates.settings(home).sqlitePath());
        return home;
    }

    @Test
    void sqlite_repair_through_sqlite3_recover_counts_the_dump_its_loading_the_rows_and_the_sessions_written() throws Exception {
        Path home = damagedSqlite("sqlite-recover");
        String path = dev.minsky.testutil.RecoverCapableSqlite3.dir() + ":/usr/bin:/bin";
        Pty.Result r = onTerminal(home, "PATH='" + path + "' MINSKY sessiondb repair --auto-recover");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.terminal().contains("sqlite3 .recover"), "the .recover path was taken: " + r);
        String dump = reached(r, "repair: .recover dump (bytes)");
        assertTrue(dump != null, "the bytes of SQL written by .recover, counted up to its size: " + r.frames());
        assertEquals(dump, reached(r, "repair: loading the dump (bytes)"), "the dump loaded back, against its size: " + r.frames());
        String rows = reached(r, "repair: reading rows");
        assertTrue(rows != null, "the recovered rows, against their count: " + r.frames());
        String written = reached(r, "repair: writing sessions");
        assertTrue(written != null && Integer.parseInt(written.replace(",", "")) > SESSIONS / 2, r.frames().toString());
        silentOffTerminal(home, "PATH='" + path + "' MINSKY sessiondb repair --auto-recover", 0);
    }

    @Test
    void sqlite_repair_by_row_salvage_counts_the_rowids_walked_and_the_sessions_written() throws Exception {
        Path home = damagedSqlite("sqlite-salvage");
        // the PATH of minsky alone (the pipe's cat keeps the shell's): java's own bin, no sqlite3
        Path bin = Files.createDirectories(root.resolve("no-sqlite3-bin"));
        String path = bin + ":" + Path.of(System.getProperty("java.home"), "bin");
        Pty.Result r = onTerminal(home, "PATH='" + path + "' MINSKY sessiondb repair --auto-recover");
        assertEquals(0, r.code(), r.toString());
        assertFalse(r.terminal().contains("sqlite3 .recover"), "no sqlite3 on the PATH: the row salvage: " + r);
        String rowids = reached(r, "repair: row salvage (rowids)");
        assertEquals(N, rowids, "every rowid from the first to the last walked, against their range: " + r.frames());
        String written = reached(r, "repair: writing sessions");
        assertTrue(written != null && Integer.parseInt(written.replace(",", "")) > SESSIONS / 2, r.frames().toString());
        silentOffTerminal(home, "PATH='" + path + "' MINSKY sessiondb repair --auto-recover", 0);
    }

    @Test
    void restore_counts_the_file_read_and_reset_and_sqlite_verify_count_the_store_read_against_its_size() throws Exception {
        Path home = copyOf(sqliteHome, "restore");
        String size = String.format(java.util.Locale.ROOT, "%,d", Files.size(file));
        Pty.Result r = onTerminal(home, "MINSKY sessiondb restore --backup " + file);
        assertEquals(0, r.code(), r.toString());
        assertEquals(size, reached(r, "reading and checking " + file), "the file's bytes parsed, against its size: " + r.frames());
        assertEquals(N, reached(r, "reading the sqlite store back to compare"), "the read-back against the store's count: " + r.frames());
        assertTrue(reached(r, "backup: comparing with " + N + " sessions") != null, r.frames().toString());

        Pty.Result v = onTerminal(sqliteHome, "MINSKY sessiondb verify");
        assertEquals(0, v.code(), v.toString());
        assertEquals(N, reached(v, "verifying: rows checked"), "the rows checked against their count: " + v.frames());

        Pty.Result reset = onTerminal(copyOf(sqliteHome, "reset"), "MINSKY sessiondb reset --force");
        assertEquals(0, reset.code(), reset.toString());
        assertEquals(N, reached(reset, "reading the sqlite store"), "reset's read before its backup, counted: " + reset.frames());
        silentOffTerminal(sqliteHome, "MINSKY sessiondb verify", 0);
    }
}
