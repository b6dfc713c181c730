package dev.minsky.doctor.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.doctor.model.ProbeRun;
import dev.minsky.backend.sqlite.SqliteFiles;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import dev.minsky.testutil.BrokenStates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A doctor run that gives up on a probe still lets it close what it opened: a probe reading the real
 * SQLite store when its time runs out (and, like a query in sqlite-jdbc, not stopping at once when
 * interrupted) closes the store before the run returns, so no -wal/-shm is left for the next doctor.
 */
class ProbeTimeoutClosesStoreTest {
    @TempDir
    Path home;

    @Test
    void a_probe_that_times_out_closes_its_sqlite_store_before_the_run_returns() throws Exception {
        Path db = BrokenStates.healthySqlite(home, 50).store();
        CountDownLatch opened = new CountDownLatch(1);
        AtomicBoolean closed = new AtomicBoolean();
        Probe reader = new ProbeRunnerTest.P("slow.reader", Probe.Cost.EXPENSIVE, Duration.ofMillis(300), Set.of(),
                Set.of("slow.count"), ctx -> {
                    try (SessionStore store = Stores.open(ctx.settings(), false)) {
                        store.list(SessionQuery.ALL);
                        opened.countDown();
                        try {
                            new CountDownLatch(1).await(); // until the runner gives up and interrupts
                        } catch (InterruptedException e) {
                            // carry on as a running query would: more real reads before the close
                            for (int i = 0; i < 300; i++) {
                                store.list(SessionQuery.ALL);
                            }
                        }
                    } finally {
                        closed.set(true);
                    }
                });
        ProbeRunner.Results r = ProbeRunner.run(Probes.env(home), Duration.ofSeconds(5), List.of(reader));
        assertEquals(0, opened.getCount(), "the probe never opened the store");
        ProbeRun run = r.runs().get(0);
        assertEquals("timeout", run.status(), run.toString());
        assertTrue(closed.get(), "the run returned before the abandoned probe closed its store");
        assertFalse(Files.exists(SqliteFiles.wal(db)), "the timed-out probe left " + SqliteFiles.wal(db));
        assertFalse(Files.exists(SqliteFiles.shm(db)), "the timed-out probe left " + SqliteFiles.shm(db));
    }

    /**
     * The wait for abandoned probes is a budget: it returns as soon as they have ended, and names
     * the ones still running when it runs out (here a thread that ignores its interrupt).
     */
    @Test
    void the_close_wait_names_the_probes_still_running_when_its_budget_is_spent() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread stuck = new Thread(() -> {
            while (true) {
                try {
                    release.await();
                    return;
                } catch (InterruptedException e) {
                    // ignores it, as a blocked native call would
                }
            }
        }, "probe-stuck.one");
        stuck.setDaemon(true);
        stuck.start();
        stuck.interrupt();
        Thread ended = new Thread(() -> { }, "probe-quick.one");
        ended.start();
        try {
            List<String> left = ProbeRunner.awaitAbandoned(Probes.env(home), List.of(ended, stuck),
                    Duration.ofMillis(300).toNanos(), dev.minsky.store.Progress.NONE);
            assertEquals(List.of("stuck.one"), left);
        } finally {
            release.countDown();
        }
        stuck.join();
        assertEquals(List.of(), ProbeRunner.awaitAbandoned(Probes.env(home), List.of(ended, stuck),
                Duration.ofMinutes(5).toNanos(), dev.minsky.store.Progress.NONE), "both have ended: nothing is waited for");
    }
}
