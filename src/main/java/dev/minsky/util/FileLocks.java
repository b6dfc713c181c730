package dev.minsky.util;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A cross-process exclusive lock on a lock file beside the data. OS file locks belong to the
 * process, so threads of one JVM are serialized by a fair in-process lock first.
 *
 * <p>The wait is the kernel's blocking {@code fcntl} lock ({@link FileChannel#lock()}), not a
 * polling {@code tryLock}: a waiter is woken when the holder lets go instead of losing every race
 * to the writers that happen to poll at the right moment, which is how a busy store used to starve
 * some of its writers past their deadline. The holder writes its pid and command line into the lock
 * file, so that a waiter can say whom it waits for (once it has waited a second) and, when the
 * deadline passes, whom it gave up on.
 */
public final class FileLocks {
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();
    /** After this long a waiter says whom it waits for. */
    static final Duration TELL_AFTER = Duration.ofSeconds(1);
    /** How often a waiter tells (TELL_AFTER; a test makes it tick fast to hit the moment the lock is granted). */
    static volatile long tellEveryNanos = TELL_AFTER.toNanos();
    private static final ScheduledExecutorService WATCH = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "minsky-lock-watch");
        t.setDaemon(true);
        return t;
    });
    private static volatile String self;

    private FileLocks() {}

    /** A held lock; close it to release. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * What this process writes into the lock files it holds, e.g. {@code minsky session start x}
     * (secrets masked); the JVM's own command line when nobody said.
     */
    public static void describeSelf(String command) {
        self = Secrets.mask(command);
    }

    /** Waits for the lock, telling standard error whom it waits for once it has waited a second. */
    public static Held acquire(Path lockFile, Duration timeout) {
        return acquire(lockFile, timeout, System.err::println);
    }

    /**
     * Waits up to {@code timeout} for the lock; {@code waiting} hears, once a second after the
     * first, whom the wait is for.
     */
    public static Held acquire(Path lockFile, Duration timeout, Consumer<String> waiting) {
        return acquire(lockFile, timeout, waiting, false);
    }

    /**
     * A shared lock: any number of processes hold it at once, and none while another holds it
     * exclusively. (Threads of one JVM still take it one at a time: one thread's close would drop
     * the process's lock under the others.)
     */
    public static Held acquireShared(Path lockFile, Duration timeout) {
        return acquire(lockFile, timeout, System.err::println, true, false);
    }

    /**
     * Exclusive, but the holder does not write itself into the file: a lock that many short commands
     * pass through leaves the file as it was (a refused command changes nothing on disk).
     */
    public static Held acquireQuietly(Path lockFile, Duration timeout) {
        return acquire(lockFile, timeout, System.err::println, false, false);
    }

    private static Held acquire(Path lockFile, Duration timeout, Consumer<String> waiting, boolean shared) {
        return acquire(lockFile, timeout, waiting, shared, !shared);
    }

    private static Held acquire(Path lockFile, Duration timeout, Consumer<String> waiting, boolean shared, boolean recordHolder) {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock local = LOCAL.computeIfAbsent(key, k -> new ReentrantLock(true));
        long start = System.nanoTime();
        try {
            if (!local.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw timeout(lockFile, timeout, "another thread of this process");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw timeout(lockFile, timeout, "another thread of this process");
        }
        FileChannel ch = null;
        try {
            PrivateFiles.createDirectories(key.getParent());
            ch = FileChannel.open(key, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(PrivateFiles.FILE)); // it names its holder
            FileLock lock;
            try {
                lock = ch.tryLock(0, Long.MAX_VALUE, shared);
            } catch (java.nio.channels.OverlappingFileLockException e) {
                // this very thread holds it already (a re-entrant call): waiting would wait on itself
                throw timeout(lockFile, timeout, "this process (pid " + ProcessHandle.current().pid() + ")");
            }
            if (lock == null) {
                lock = waitFor(ch, key, start, timeout, waiting, shared);
            }
            if (recordHolder) {
                record(ch); // sharers would overwrite each other's line: the file names the last exclusive holder
            }
            FileChannel channel = ch;
            FileLock fl = lock;
            return () -> {
                try {
                    fl.release();
                    channel.close();
                } catch (IOException ignored) {
                    // closing the channel releases the lock in any case
                } finally {
                    local.unlock();
                }
            };
        } catch (IOException e) {
            closeQuietly(ch);
            local.unlock();
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot open lock file " + lockFile + ": " + e.getMessage(),
                    "check that the directory exists and is writable (minsky doctor explains why it is not)", e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            local.unlock();
            throw e;
        }
    }

    /**
     * Blocks in the kernel until the lock is ours; a watcher thread reports the wait and, at the
     * deadline, interrupts it (which closes the channel: {@link ClosedByInterruptException}).
     */
    private static FileLock waitFor(FileChannel ch, Path key, long start, Duration timeout, Consumer<String> waiting,
                                    boolean shared) throws IOException {
        Thread me = Thread.currentThread();
        long tell = tellEveryNanos;
        Object sync = new Object();
        boolean[] done = {false};
        ScheduledFuture<?> ticker = WATCH.scheduleAtFixedRate(() -> {
            long waited = System.nanoTime() - start;
            if (waited >= tell && waited < timeout.toNanos()) {
                // read through the waiter's own channel: opening and closing the lock file again would
                // release this process's lock on it (POSIX locks belong to the process and go with ANY
                // close of the file), and the lock may be granted while this runs: a silent lost update
                waiting.accept("minsky: waiting for the lock " + key + " held by " + holder(ch) + ", for "
                        + TimeUnit.NANOSECONDS.toSeconds(waited) + " s (giving up after " + timeout.toSeconds() + " s)");
            }
        }, tell, tell, TimeUnit.NANOSECONDS);
        long left = Math.max(1, timeout.toNanos() - (System.nanoTime() - start));
        ScheduledFuture<?> alarm = WATCH.schedule(() -> {
            synchronized (sync) {
                if (!done[0]) {
                    me.interrupt();
                }
            }
        }, left, TimeUnit.NANOSECONDS);
        try {
            return ch.lock(0, Long.MAX_VALUE, shared);
        } catch (java.nio.channels.FileLockInterruptionException | ClosedByInterruptException e) {
            Thread.interrupted(); // our own alarm: the deadline passed
            throw timeout(key, timeout, holder(key));
        } finally {
            synchronized (sync) {
                done[0] = true;
            }
            ticker.cancel(false);
            alarm.cancel(false);
            Thread.interrupted(); // an alarm that fired just as the lock came is no concern of the caller's
        }
    }

    /** Writes who holds the lock into the lock file, for waiters to read. */
    private static void record(FileChannel ch) {
        String me = self;
        if (me == null) {
            me = ProcessHandle.current().info().command().orElse("java");
        }
        if (me.length() > 200) {
            me = me.substring(0, 200) + "...";
        }
        byte[] line = (ProcessHandle.current().pid() + "\t" + me + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(line), 0);
        } catch (IOException ignored) {
            // only the waiters' message loses its detail
        }
    }

    /** {@link #holder(Path)} read through an open channel of the lock file, which stays open. */
    static String holder(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(512);
            int n = ch.read(buf, 0);
            return describe(n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.UTF_8).strip());
        } catch (IOException | RuntimeException e) {
            return "another process";
        }
    }

    /**
     * "pid 4242, `minsky session start x`" from the lock file, or what is known when it says
     * nothing. Opens the file: only for a process that holds no lock on it.
     */
    static String holder(Path key) {
        try {
            return describe(Files.readString(key, StandardCharsets.UTF_8).strip());
        } catch (IOException | RuntimeException e) {
            return "another process";
        }
    }

    private static String describe(String s) {
        try {
            int tab = s.indexOf('\t');
            if (tab > 0) {
                String pid = s.substring(0, tab);
                boolean alive = ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
                return "pid " + pid + ", `" + s.substring(tab + 1) + "`" + (alive ? "" : " (which has just ended)");
            }
        } catch (RuntimeException e) {
            // an unreadable or older lock file: say what is known
        }
        return "another process";
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    private static MinskyException timeout(Path lockFile, Duration timeout, String holder) {
        return new MinskyException(ExitCode.INCOMPLETE,
                "could not obtain the lock " + lockFile + " within " + timeout.toMillis() + " ms: it is held by " + holder,
                "wait for that process to finish and retry; 'minsky doctor' shows which process holds it");
    }
}
