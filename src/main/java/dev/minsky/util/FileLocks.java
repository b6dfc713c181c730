package dev.minsky.util;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A cross-process exclusive lock on a lock file beside the data. OS file locks belong to the
 * process, so threads of one JVM are serialized by an in-process lock first.
 */
public final class FileLocks {
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private FileLocks() {}

    /** A held lock; close it to release. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    public static Held acquire(Path lockFile, Duration timeout) {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock local = LOCAL.computeIfAbsent(key, k -> new ReentrantLock());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!local.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw timeout(lockFile, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw timeout(lockFile, timeout);
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(key.getParent());
            ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long sleep = 2;
            while (true) {
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock != null) {
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
                }
                if (System.nanoTime() > deadline) {
                    throw timeout(lockFile, timeout);
                }
                Thread.sleep(sleep);
                sleep = Math.min(50, sleep * 2);
            }
        } catch (IOException e) {
            closeQuietly(ch);
            local.unlock();
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot open lock file " + lockFile + ": " + e.getMessage(),
                    "check that the directory exists and is writable (minsky doctor explains why it is not)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(ch);
            local.unlock();
            throw timeout(lockFile, timeout);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            local.unlock();
            throw e;
        }
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

    private static MinskyException timeout(Path lockFile, Duration timeout) {
        return new MinskyException(ExitCode.INCOMPLETE,
                "could not obtain the lock " + lockFile + " within " + timeout.toMillis() + " ms: another minsky process is writing",
                "wait for the other process to finish and retry; 'minsky doctor' shows which process holds it");
    }
}
