package dev.minsky;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Recognises a command that failed because the process ran out of open files (EMFILE), or the
 * disk is full (ENOSPC), whatever shape the failure took on the way up: an IOException saying so,
 * a driver's SQLException, or an Error from a class that could not be loaded or initialised
 * because the JVM could not open its own jar (the message then says nothing of the cause, so the
 * descriptors are counted).
 */
public final class ResourceExhaustion {
    private ResourceExhaustion() {}

    /** Descriptors the JVM and a command need beyond what a class-loading failure leaves; below this it cannot work. */
    private static final int HEADROOM = 8;

    public static boolean tooManyOpenFiles(Throwable t) {
        if (chainSays(t, "too many open files") || chainSays(t, "emfile")) {
            return true;
        }
        // The failure often does not say it (a class that cannot be loaded from our own jar, SQLite's
        // CANTOPEN): count. Bad input is bad input whatever the limit.
        if (t instanceof MinskyException me && (me.exitCode() == ExitCode.BAD_INPUT || me instanceof StoreUnreadable)) {
            return false;
        }
        Long limit = openFileLimit();
        Long open = openFiles();
        if (open == null) {
            // /proc/self/fd is there (stat needs no descriptor) but cannot be listed: none is left
            return Files.isDirectory(Path.of("/proc/self/fd"));
        }
        return limit != null && open >= limit - HEADROOM;
    }

    private static volatile Long limitSeen;

    /** Reads the limit while a descriptor is still free, for the message when none is. */
    public static void remember() {
        limitSeen = readLimit();
    }

    /** Bytes under which a filesystem counts as full: SQLite cannot even grow its -shm below this. */
    static final long FULL_BELOW = 1024 * 1024;

    /**
     * As {@link #diskFull(Throwable)}, and also an I/O failure while the filesystem holding {@code dir}
     * has almost no space left: a full tmpfs shows as "disk I/O error" (SQLITE_IOERR_SHMSIZE and the
     * like), so free space decides, not the message.
     */
    public static boolean diskFull(Throwable t, Path dir) {
        if (diskFull(t)) {
            return true;
        }
        if (dir == null || !(chainSays(t, "i/o error") || chainSays(t, "ioerr") || chainOf(t, IOException.class))) {
            return false;
        }
        try {
            Path p = dir.toAbsolutePath();
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            return p != null && Files.getFileStore(p).getUsableSpace() < FULL_BELOW;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean chainOf(Throwable t, Class<?> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    public static boolean diskFull(Throwable t) {
        return chainSays(t, "no space left on device") || chainSays(t, "database or disk is full")
                || chainSays(t, "enospc");
    }

    /** Soft RLIMIT_NOFILE from /proc/self/limits; null when unknown or unlimited. */
    public static Long openFileLimit() {
        Long l = readLimit();
        return l != null ? l : limitSeen;
    }

    private static Long readLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f.length > 0 && f[0].matches("\\d+") ? Long.parseLong(f[0]) : null;
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            // no /proc, or no descriptor left to read it with
        }
        return null;
    }

    /** Descriptors open now; null when they cannot be counted (which, with none left, is itself the sign). */
    public static Long openFiles() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException | RuntimeException | Error e) {
            return null;
        }
    }

    /** The error lines for a user who hit the open-file limit. */
    public static List<String> tooManyOpenFilesMessage() {
        Long limit = openFileLimit();
        return List.of("error: minsky ran out of open files (the limit for this process is "
                        + (limit == null ? "too low" : limit + ", 'ulimit -n'") + "); the command did not finish",
                "  hint: raise the limit, e.g. 'ulimit -n 4096' in this shell (or nofile in /etc/security/limits.conf), "
                        + "and run the command again; writes are atomic, so the store is as it was before the last write");
    }

    /** The error lines for a full disk. */
    public static List<String> diskFullMessage() {
        return List.of("error: the disk holding minsky's state is full; the command did not finish",
                "  hint: free space there (see 'df -h' and 'minsky doctor'), then run the command again; writes are atomic, "
                        + "so the store is as it was before the last write");
    }

    private static boolean chainSays(Throwable t, String what) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null && m.toLowerCase(java.util.Locale.ROOT).contains(what)) {
                return true;
            }
            for (Throwable s : c.getSuppressed()) {
                if (chainSays(s, what)) {
                    return true;
                }
            }
        }
        return false;
    }

}
