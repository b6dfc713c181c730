package dev.minsky.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.MinskyException;
import dev.minsky.testutil.JavaProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cross-process lock waits in the kernel, says whom it waits for, and names the holder when it gives up. */
class FileLocksTest {
    @TempDir
    Path dir;

    /** Holds a lock file in its own process until its standard input closes. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            FileLocks.describeSelf("minsky session start held-by-test");
            try (FileLocks.Held held = FileLocks.acquire(Path.of(args[0]), Duration.ofSeconds(30))) {
                System.out.println("locked");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // until the test closes our stdin
                }
            }
        }
    }

    /** Prints whether another process holds the lock file: "held" or "free" (tryLock, released at once). */
    public static final class TryLock {
        public static void main(String[] args) throws Exception {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(Path.of(args[0]),
                    java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
                java.nio.channels.FileLock l = ch.tryLock();
                System.out.println(l == null ? "held" : "free");
            }
        }
    }

    private static String tryLockFromAnotherProcess(Path lock) throws Exception {
        Process p = JavaProcess.start(JavaProcess.builder(TryLock.class, Map.of(), lock.toString()));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }

    /**
     * The waiter's "held by" message reads the lock file while the kernel may grant the lock: if it
     * opened and closed the file again, POSIX would release this process's lock with that close and
     * two writers would run at once (a lost update, seen as 3 of 80 sessions missing under load).
     * Here the waiter tells every 50 µs, so its reads overlap the grant; the lock must still
     * be held afterwards, as another process sees.
     */
    @Test
    void a_waiter_that_tells_whom_it_waits_for_keeps_the_lock_it_is_granted() throws Exception {
        Path lock = dir.resolve("session-db.json.lock");
        long before = FileLocks.tellEveryNanos;
        FileLocks.tellEveryNanos = java.util.concurrent.TimeUnit.MICROSECONDS.toNanos(50);
        try {
            for (int round = 0; round < 3; round++) {
                Process p = holder(lock);
                Thread release = new Thread(() -> {
                    try {
                        Thread.sleep(700);
                        p.getOutputStream().close();
                    } catch (Exception ignored) {
                        // the waiter's deadline below then fails the test
                    }
                });
                release.start();
                List<String> heard = new CopyOnWriteArrayList<>();
                try (FileLocks.Held held = FileLocks.acquire(lock, Duration.ofSeconds(120), heard::add)) {
                    p.waitFor();
                    Thread.sleep(50); // any tick still running ends
                    assertEquals("held", tryLockFromAnotherProcess(lock), "round " + round + ": another process could take the lock we hold, after "
                            + heard.size() + " messages while waiting");
                }
                release.join();
                assertTrue(!heard.isEmpty(), "the waiter told whom it waited for");
            }
        } finally {
            FileLocks.tellEveryNanos = before;
        }
    }

    private Process holder(Path lock) throws Exception {
        Process p = JavaProcess.start(JavaProcess.builder(Holder.class, Map.of(), lock.toString()));
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", r.readLine(), "the holder process took the lock");
        return p;
    }

    @Test
    void a_waiter_names_the_holding_process_and_gives_up_at_its_deadline() throws Exception {
        Path lock = dir.resolve("session-db.json.lock");
        Process p = holder(lock);
        try {
            List<String> heard = new CopyOnWriteArrayList<>();
            long t0 = System.nanoTime();
            MinskyException e = assertThrows(MinskyException.class,
                    () -> FileLocks.acquire(lock, Duration.ofMillis(2500), heard::add).close());
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(waited >= 2500, "gave up after " + waited + " ms, before its deadline");
            assertEquals(3, e.exitCode());
            String who = "pid " + p.pid() + ", `minsky session start held-by-test`";
            assertTrue(e.getMessage().contains(who), e.getMessage());
            assertTrue(!heard.isEmpty() && heard.get(0).contains("waiting for the lock") && heard.get(0).contains(who), heard.toString());
        } finally {
            p.getOutputStream().close();
            p.waitFor();
        }
    }

    @Test
    void a_waiter_gets_the_lock_as_soon_as_the_holder_lets_go() throws Exception {
        Path lock = dir.resolve("session-db.json.lock");
        Process p = holder(lock);
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(1500);
                p.getOutputStream().close();
            } catch (Exception ignored) {
                // the waiter's deadline below then fails the test
            }
        });
        release.start();
        List<String> heard = new CopyOnWriteArrayList<>();
        try (FileLocks.Held held = FileLocks.acquire(lock, Duration.ofSeconds(60), heard::add)) {
            assertTrue(!p.isAlive() || p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the holder ended first");
            assertTrue(java.nio.file.Files.readString(lock).startsWith(ProcessHandle.current().pid() + "\t"),
                    "the new holder wrote its pid into the lock file");
        }
        release.join();
        assertTrue(heard.stream().allMatch(h -> h.contains("pid " + p.pid())), heard.toString());
    }

    @Test
    void a_thread_that_already_holds_the_lock_is_told_at_once_instead_of_waiting_on_itself() {
        Path lock = dir.resolve("fix.lock");
        try (FileLocks.Held held = FileLocks.acquire(lock, Duration.ofSeconds(5))) {
            long t0 = System.nanoTime();
            MinskyException e = assertThrows(MinskyException.class, () -> FileLocks.acquire(lock, Duration.ofSeconds(5)));
            assertTrue((System.nanoTime() - t0) < Duration.ofSeconds(5).toNanos(), "did not wait out the deadline");
            assertTrue(e.getMessage().contains("could not obtain the lock") && e.getMessage().contains("this process"), e.getMessage());
        }
    }
}
