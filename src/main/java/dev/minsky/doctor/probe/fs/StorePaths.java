package dev.minsky.doctor.probe.fs;

import dev.minsky.doctor.probe.ProbeContext;
import dev.minsky.store.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/** Where the store's file is, for backends that keep one, and small POSIX helpers. */
public final class StorePaths {
    private StorePaths() {}

    /** The store's file when the backend keeps its store in one (json, sqlite, a file plugin), else empty. */
    public static Optional<Path> storeFile(ProbeContext ctx) {
        String location;
        try {
            location = Stores.provider(ctx.settings()).location(ctx.settings());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (location == null || !location.startsWith("/")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(location));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** The path itself if it exists, else its nearest existing ancestor. */
    public static Path nearestExisting(Path p) {
        Path cur = p.toAbsolutePath();
        while (cur != null && !Files.exists(cur)) {
            cur = cur.getParent();
        }
        return cur == null ? p.getRoot() : cur;
    }

    /** This process's real uid, from /proc/self/status (-1 when unknown). */
    public static long uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return -1;
    }

    /** The file's owner uid, or -1. */
    public static long ownerUid(Path p) {
        try {
            return ((Number) Files.getAttribute(p, "unix:uid")).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Permission bits as 4 octal digits (e.g. 0644), or null when they cannot be read. */
    public static String mode(Path p) {
        try {
            int m = ((Number) Files.getAttribute(p, "unix:mode")).intValue();
            return String.format("%04o", m & 07777);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public static boolean existsNoFollow(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }
}
