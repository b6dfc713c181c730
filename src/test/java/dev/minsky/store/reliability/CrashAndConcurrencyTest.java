package dev.minsky.store.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.config.Settings;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import dev.minsky.store.support.StoreInserter;
import dev.minsky.testutil.JavaProcess;
import dev.minsky.testutil.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: writers killed with SIGKILL, and eight writers at once on every backend. */
class CrashAndConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void a_json_writer_killed_at_random_points_leaves_either_the_old_or_the_new_file() throws Exception {
        Settings s = StoreInserter.settings("json", dir, null);
        Stores.provider(s).init(s);
        Random random = new Random(20261127);
        int committed = 0;
        int caughtInFlight = 0;
        for (int round = 0; round < 30; round++) {
            Path report = dir.resolve("report-" + round);
            Files.createFile(report);
            Process p = JavaProcess.start(JavaProcess.builder(StoreInserter.class, Map.of(), "json", dir.toString(), "-",
                    "k", Integer.toString(committed), "-1", report.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.size(report) == 0 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(Files.size(report) > 0, "the writer committed its first session");
            Thread.sleep(random.nextInt(250));
            p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            List<String> lines = Files.readAllLines(report).stream().filter(l -> l.startsWith("committed ")).toList();
            committed += lines.size();

            List<SessionRecord> onDisk = SessionJson.parse(Files.readAllBytes(s.jsonPath())); // throws if torn
            assertTrue(onDisk.size() == committed || onDisk.size() == committed + 1,
                    "round " + round + ": " + committed + " committed, file holds " + onDisk.size());
            if (onDisk.size() == committed + 1) {
                caughtInFlight++; // killed after the rename, before it could print "committed"
                committed++;
            }
            for (int i = 0; i < committed; i++) {
                assertEquals(StoreInserter.record("k" + i, i), onDisk.get(i), "record " + i + " intact in round " + round);
            }
        }
        assertTrue(committed > 30, "the writers committed " + committed);
        long litter;
        try (var names = Files.list(dir)) {
            litter = names.filter(f -> f.getFileName().toString().startsWith(dev.minsky.util.AtomicFiles.TEMP_PREFIX)).count();
        }
        try (var store = Stores.open(s, false)) {
            store.insert(StoreInserter.record("k" + committed, committed)); // the next write sweeps what the killed ones left
        }
        try (var names = Files.list(dir)) {
            List<Path> left = names.filter(f -> f.getFileName().toString().startsWith(dev.minsky.util.AtomicFiles.TEMP_PREFIX)).toList();
            assertTrue(left.isEmpty(), "temp files of killed writers left after the next write: " + left);
        }
        System.out.println("json SIGKILL: 30 rounds, " + committed + " records, " + caughtInFlight + " kills between rename and report, "
                + litter + " temp files left by the kills, 0 after the next write");
    }

    private void eightWritersAtOnce(Settings s) throws Exception {
        Stores.provider(s).init(s);
        List<Process> procs = new ArrayList<>();
        List<Path> errs = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            // stderr to a file: a writer telling whom it waits for must never block on a full pipe
            Path err = Files.createTempFile("writer-" + w, ".err");
            errs.add(err);
            procs.add(JavaProcess.start(JavaProcess.builder(StoreInserter.class, Map.of(), s.backend(), dir.toString(),
                    s.connectionString() == null ? "-" : s.connectionString(), "w" + w + "-", "0", "100")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile())));
        }
        // One budget for the whole run, generous for a busy 2-core machine: 800 commits, each waiting its turn
        // for the store's lock (the store's own wait is 120 s, so a writer fails there first and says why).
        long budget = TimeUnit.MINUTES.toNanos(15);
        long deadline = System.nanoTime() + budget;
        for (int w = 0; w < 8; w++) {
            Process p = procs.get(w);
            boolean ended = p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            String err = Files.readString(errs.get(w), StandardCharsets.UTF_8);
            if (!ended) {
                procs.forEach(Process::destroyForcibly);
            }
            assertTrue(ended, "writer " + w + " still running after the " + TimeUnit.NANOSECONDS.toSeconds(budget)
                    + " s budget for 8 x 100 commits: " + err);
            assertEquals(0, p.exitValue(), "writer " + w + ": " + err);
            Files.delete(errs.get(w));
        }
        try (SessionStore store = Stores.provider(s).open(s, false)) {
            assertEquals(800, store.count());
            Set<String> names = store.list(SessionQuery.ALL).stream().map(SessionRecord::session).collect(Collectors.toSet());
            Set<String> expected = IntStream.range(0, 8).boxed()
                    .flatMap(w -> IntStream.range(0, 100).mapToObj(i -> "w" + w + "-" + i)).collect(Collectors.toSet());
            assertEquals(expected, names);
            assertEquals(StoreInserter.record("w3-42", 42), store.get("w3-42").orElseThrow());
        }
    }

    @Test
    void eight_json_writers_in_parallel_lose_nothing() throws Exception {
        eightWritersAtOnce(StoreInserter.settings("json", dir, null));
    }

    @Test
    void eight_sqlite_writers_in_parallel_lose_nothing() throws Exception {
        eightWritersAtOnce(StoreInserter.settings("sqlite", dir, null));
    }

    @Test
    void eight_postgres_writers_in_parallel_lose_nothing() throws Exception {
        eightWritersAtOnce(StoreInserter.settings("postgres", dir, PostgresServer.shared().newDatabase("eight")));
    }
}
