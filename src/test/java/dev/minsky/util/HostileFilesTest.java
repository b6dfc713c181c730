package dev.minsky.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 point 4: a config file, playbook, import file or store that is a FIFO, a device, a
 * directory, oversized or an alias bomb is refused with exit 2 before it is read, by the CLI in its
 * own JVM with a 256 MB heap: the run ends (a generous budget: the machine is busy), prints no
 * stack trace and changes nothing on disk. Each case's time is printed.
 */
class HostileFilesTest {
    /** Not a speed target: a hang is what fails here (the issue saw them run until killed). */
    private static final long BUDGET_S = 120;

    @TempDir
    Path home;
    Cli cli;
    Path config;
    Path kb;

    @BeforeEach
    void store() throws Exception {
        cli = new Cli(home);
        assertEquals(0, cli.run("sessiondb", "init", "--backend", "json").code());
        assertEquals(0, cli.run("session", "start", "kept").code());
        config = home.resolve(".config/minsky/config.yaml");
        kb = home.resolve(".config/minsky/knowledge-base");
        assertTrue(Files.isRegularFile(config));
    }

    @Test
    void a_config_file_that_is_a_fifo_is_refused_without_opening_it() throws Exception {
        Files.delete(config);
        mkfifo(config);
        Run r = refused("config FIFO", "session", "list");
        assertTrue(r.err.contains("FIFO"), r.err);
    }

    @Test
    void a_sqlite_store_that_is_a_fifo_or_a_device_is_refused_without_opening_it() throws Exception {
        Path fifo = home.resolve("sessions.db");
        mkfifo(fifo);
        Run r = refused("SQLite dbPath FIFO", "--backend", "sqlite", "--db-path", fifo.toString(), "session", "list");
        assertTrue(r.err.contains("not a regular file"), r.err);
        r = refused("SQLite dbPath FIFO, a write", "--backend", "sqlite", "--db-path", fifo.toString(), "session", "start", "x");
        assertTrue(r.err.contains("not a regular file"), r.err);
        Path dev = home.resolve("zero.db");
        Files.createSymbolicLink(dev, Path.of("/dev/zero"));
        refused("SQLite dbPath -> /dev/zero", "--backend", "sqlite", "--db-path", dev.toString(), "session", "list");
    }

    @Test
    void a_postgres_ca_or_password_file_that_is_a_fifo_or_a_directory_is_refused_before_connecting() throws Exception {
        Path fifo = home.resolve("root.crt");
        mkfifo(fifo);
        Path dir = Files.createDirectory(home.resolve("pgpass.d"));
        // port 1 on loopback: nothing listens, so only the file check can answer with exit 2
        for (String q : new String[] {"sslmode=verify-full&sslrootcert=" + fifo, "sslrootcert=/dev/zero", "passfile=" + dir}) {
            cli.env("MINSKY_POSTGRES_URL", "postgresql://minsky@127.0.0.1:1/minsky?" + q);
            Run r = refused("postgres " + q, "--backend", "postgres", "session", "list");
            assertTrue(r.err.contains("not a regular file"), q + ": " + r.err);
        }
    }

    @Test
    void a_config_file_that_is_a_symlink_to_dev_zero_is_refused() throws Exception {
        Files.delete(config);
        Files.createSymbolicLink(config, Path.of("/dev/zero"));
        Run r = refused("config -> /dev/zero", "session", "list");
        assertTrue(r.err.contains("character device"), r.err);
    }

    @Test
    void a_config_file_that_is_a_directory_is_refused() throws Exception {
        Files.delete(config);
        Files.createDirectory(config);
        refused("config directory", "session", "list");
    }

    @Test
    void a_10_mb_config_value_is_refused_before_it_is_read() throws Exception {
        Files.writeString(config, "sessiondb:\n  backend: json\n  baseDir: /" + "a".repeat(10_000_000) + "\n");
        Run r = refused("10 MB config value", "session", "list");
        assertTrue(r.err.contains("1.0 MiB"), r.err);
    }

    @Test
    void a_1_mb_base_dir_is_refused_as_a_value_too_long() throws Exception {
        Files.writeString(config, "sessiondb:\n  backend: json\n  baseDir: /" + "a".repeat(1_000_000) + "\n");
        Run r = refused("1 MB baseDir", "session", "list");
        assertTrue(r.err.contains("sessiondb.baseDir") && r.err.contains("4096"), r.err);
    }

    @Test
    void a_config_alias_bomb_is_refused() throws Exception {
        Files.writeString(config, "sessiondb:\n  backend: json\n" + bomb("  ") + "  baseDir: *i\n");
        refused("config alias bomb", "session", "list");
    }

    @Test
    void import_files_that_are_a_fifo_a_device_or_a_directory_are_refused() throws Exception {
        Path fifo = home.resolve("in.fifo");
        mkfifo(fifo);
        refused("import FIFO", "sessiondb", "import", "--file", fifo.toString());
        refused("import /dev/zero", "sessiondb", "import", "--file", "/dev/zero");
        refused("import directory", "sessiondb", "import", "--file", home.toString());
    }

    @Test
    void a_json_store_that_is_a_fifo_or_a_device_is_refused_by_readers_and_writers() throws Exception {
        Path store = cli.stateDir().resolve("session-db.json");
        Path aside = home.resolve("store.json");
        Files.move(store, aside);
        mkfifo(store);
        refused("store FIFO: list", "session", "list");
        refused("store FIFO: start", "session", "start", "another");
        Files.delete(store);
        Files.createSymbolicLink(store, Path.of("/dev/zero"));
        refused("store -> /dev/zero: list", "session", "list");
        Files.delete(store);
        Files.move(aside, store);
        assertEquals(0, cli.run("session", "get", "kept").code(), "the store is as it was");
    }

    @Test
    void the_doctor_skips_hostile_user_playbooks_with_a_visible_error_and_still_runs() throws Exception {
        Files.createDirectories(kb);
        mkfifo(kb.resolve("fifo.yaml"));
        Files.createSymbolicLink(kb.resolve("zero.yaml"), Path.of("/dev/zero"));
        Files.createDirectory(kb.resolve("dir.yaml"));
        Files.writeString(kb.resolve("big.yaml"), "id: big\ncauses: []\n#" + "x".repeat(2 * 1024 * 1024) + "\n");
        Files.writeString(kb.resolve("bomb.yaml"), "id: bomb\n" + bomb("") + "causes: *i\n");
        Map<String, String> before = snapshot();
        Run r = run("doctor with hostile playbooks", "doctor");
        assertTrue(r.code == 0 || r.code == 1, "the doctor ran: " + r);
        for (String f : List.of("fifo.yaml", "zero.yaml", "dir.yaml", "big.yaml", "bomb.yaml")) {
            assertTrue(r.out.contains(kb.resolve(f).toString()), f + " is named as skipped: " + r.out);
        }
        assertTrue(r.out.contains("No issues found"), "the checks still ran, on a healthy store: " + r.out);
        assertNoStackTrace(r);
        assertEquals(before, snapshot(), "nothing changed on disk");
    }

    @Test
    void a_playbook_named_with_kb_that_is_a_fifo_does_not_stop_the_doctor() throws Exception {
        Path extra = home.resolve("kb");
        Files.createDirectories(extra);
        mkfifo(extra.resolve("p.yaml"));
        Run r = run("doctor --kb FIFO", "doctor", "--kb", extra.toString());
        assertTrue(r.code == 0 || r.code == 1, r.toString());
        assertTrue(r.out.contains("not a regular file"), r.out);
        assertNoStackTrace(r);
    }

    // ---------------------------------------------------------------------------------------------

    record Run(int code, String out, String err, long millis) {
        @Override
        public String toString() {
            return "exit " + code + " after " + millis + " ms\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    private Run refused(String what, String... args) throws Exception {
        Map<String, String> before = snapshot();
        Run r = run(what, args);
        assertEquals(2, r.code, what + ": " + r);
        assertTrue(r.err.contains("error:") && r.err.contains("hint:"), "what failed and what to do: " + r.err);
        assertNoStackTrace(r);
        assertEquals(before, snapshot(), what + ": nothing changed on disk");
        return r;
    }

    private static void assertNoStackTrace(Run r) {
        assertFalse(r.err.contains("\tat ") || r.out.contains("\tat "), "no stack trace: " + r);
        assertFalse(r.err.contains("Exception"), "no exception name: " + r.err);
    }

    /** The CLI in its own JVM with at most 256 MB of heap: the memory claim, and a hang cannot stall the test. */
    private Run run(String what, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                dev.minsky.Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        pb.environment().clear();
        pb.environment().putAll(cli.envMap());
        Path out = Files.createTempFile(home.getParent(), "out", ".txt");
        Path err = Files.createTempFile(home.getParent(), "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean ended = p.waitFor(BUDGET_S, TimeUnit.SECONDS);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        Run r = new Run(ended ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), ms);
        Files.delete(out);
        Files.delete(err);
        System.out.printf("HostileFilesTest: %-32s exit %d in %d ms (JVM start included, load %s)%n", what, r.code, ms,
                Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        assertTrue(ended, what + ": still running after " + BUDGET_S + " s (a hang)");
        return r;
    }

    /** Nine levels of nine aliases each: 9^9 strings if anything expanded them. */
    private static String bomb(String indent) {
        StringBuilder sb = new StringBuilder(indent + "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'i'; c++) {
            sb.append(indent).append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                sb.append(i > 0 ? "," : "").append('*').append(prev);
            }
            sb.append("]\n");
            prev = c;
        }
        return sb.toString();
    }

    private static void mkfifo(Path p) throws Exception {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertEquals(0, mk.waitFor(), "mkfifo " + p);
    }

    /** Every file under the home with its size and modification time, logs aside (an error is logged). */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(home)) {
            s.filter(p -> !p.startsWith(cli.stateDir().resolve("logs"))).forEach(p -> {
                try {
                    var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    m.put(home.relativize(p).toString(), (a.isDirectory() ? "dir" : a.size() + "@" + a.lastModifiedTime().toMillis()));
                } catch (IOException e) {
                    m.put(home.relativize(p).toString(), "unreadable");
                }
            });
        }
        return m;
    }
}
