package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.model.SessionJson;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.JavaProcess;
import dev.minsky.testutil.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of open files or disk is "could not complete" (exit 3) with what to do, from
 * whichever command meets it, never a JVM trace; the doctor names the cause with the limit as
 * evidence.
 */
class ResourceExhaustionTest {
    @TempDir
    Path home;

    /** {@code minsky args} in its own JVM under {@code ulimit -n limit}. */
    Processes.Output underLimit(int limit, String... args) throws Exception {
        ProcessBuilder java = JavaProcess.minsky(Map.of("HOME", home.toString()), args);
        StringBuilder cmd = new StringBuilder("ulimit -n " + limit + " && exec");
        for (String a : java.command()) {
            cmd.append(" '").append(a.replace("'", "'\\''")).append("'");
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd.toString());
        pb.environment().putAll(java.environment());
        return Processes.run(pb, Duration.ofSeconds(120));
    }

    @Test
    void every_open_file_limit_either_works_or_says_to_raise_ulimit_with_exit_3() throws Exception {
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("session", "start", "one", "--repo", "https://example.com/r.git").code());
        List<Integer> refused = new ArrayList<>();
        List<Integer> worked = new ArrayList<>();
        // from below where the JVM's own jars run out up to a limit where the command runs
        for (int limit = 16; limit <= 96; limit += 16) {
            for (String[] args : new String[][] {{"session", "list"}, {"doctor", "--json"}, {"session", "start", "s" + limit}}) {
                Processes.Output r = underLimit(limit, args);
                String what = "ulimit -n " + limit + ", minsky " + String.join(" ", args) + ": exit " + r.code() + "\n" + r.err();
                if (r.err().contains("Error occurred during initialization of VM") || r.err().contains("Could not create the Java") || r.err().contains("A JNI error has occurred")) {
                    continue; // the JVM itself cannot start this low: nothing of minsky ran
                }
                assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in thread") || r.err().contains("internal error"), what);
                if (args[0].equals("doctor")) {
                    assertTrue(r.code() == 1 || r.code() == 3, what);
                } else {
                    assertTrue(r.code() == 0 || r.code() == 3, what);
                }
                if (r.code() == 3) {
                    assertTrue(r.err().contains("ran out of open files") && r.err().contains("ulimit -n"), what);
                    refused.add(limit);
                } else {
                    worked.add(limit);
                }
                if (args[0].equals("doctor") && r.code() == 1) {
                    JsonNode doc = SessionJson.mapper().readTree(r.out());
                    JsonNode f = doc.get("findings").get(0);
                    assertEquals("json.too-many-open-files", f.get("cause").asText(), r.out());
                    boolean limitShown = false;
                    for (JsonNode e : f.get("evidence")) {
                        limitShown |= e.get("fact").asText().equals("process.openFileLimit") && e.get("value").asLong() == limit;
                    }
                    assertTrue(limitShown, "the limit is the evidence: " + f);
                }
            }
        }
        assertFalse(refused.isEmpty(), "some limit was low enough to refuse: the error path ran");
        assertFalse(worked.isEmpty(), "some limit was high enough to work");
        System.out.println("open-file limits refused: " + refused + "; worked: " + worked);
    }

    /**
     * The checkout's launcher is a bash script: below a handful of descriptors bash cannot even
     * make the pipe of a command substitution. It says what to do (exit 3) before it tries, and
     * never starts a build or a JVM it cannot finish.
     */
    @Test
    void the_launcher_refuses_a_hard_open_file_limit_it_cannot_run_under_with_exit_3() throws Exception {
        Path launcher = Path.of("minsky").toAbsolutePath();
        for (int limit : new int[] {5, 8, 12}) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", "ulimit -n " + limit + " && exec '" + launcher + "' session list");
            pb.environment().put("HOME", home.toString());
            Processes.Output r = Processes.run(pb, Duration.ofSeconds(60));
            String what = "ulimit -n " + limit + ": exit " + r.code() + "\n" + r.err();
            assertEquals(3, r.code(), what);
            assertTrue(r.err().contains("open-file limit") && r.err().contains("ulimit -n 4096"), what);
            assertFalse(r.err().contains("building") || r.err().contains("Too many open files"), what);
        }
        assertFalse(Files.exists(home.resolve(".local/state/minsky")), "nothing was created");
    }

    @Test
    void a_full_disk_stops_session_start_with_exit_3_and_the_doctor_says_disk_full() throws Exception {
        Path state = home.resolve(".local/state/minsky");
        Files.createDirectories(state);
        sh("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", state.toString());
        try {
            Cli cli = new Cli(home);
            assertEquals(0, cli.run("session", "start", "kept", "--repo", "https://example.com/r.git").code());
            try (var out = Files.newOutputStream(state.resolve("filler.bin"))) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                }
            } catch (java.io.IOException full) {
                // ENOSPC: the disk is full now
            }
            Cli.Result start = cli.run("session", "start", "more", "--repo", "https://example.com/r.git");
            assertEquals(3, start.code(), start.toString());
            assertFalse(start.err().contains("\tat ") || start.err().contains("internal error"), start.toString());
            assertTrue(start.err().toLowerCase().contains("full") || start.err().contains("space"), start.toString());

            Cli.Result doctor = cli.run("doctor", "--json");
            JsonNode doc = SessionJson.mapper().readTree(doctor.out());
            assertEquals("sqlite.disk-full", doc.get("findings").get(0).get("cause").asText(), doctor.toString());

            Files.delete(state.resolve("filler.bin"));
            Cli.Result list = cli.run("session", "list", "--json");
            assertEquals(0, list.code(), list.toString());
            assertTrue(list.out().contains("\"kept\""), "nothing was lost: " + list);
        } finally {
            sh("umount", state.toString());
        }
    }

    private static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        }
    }
}
