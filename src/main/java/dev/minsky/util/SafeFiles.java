package dev.minsky.util;

import dev.minsky.MinskyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reading files a user or another program named: config files, playbooks, import files, the JSON
 * store. Such a path can be a FIFO (an open that never returns), a device ({@code /dev/zero}: a
 * read that never ends), a directory, or gigabytes. The file is looked at with {@code stat} first
 * (which follows a symlink but opens nothing), refused unless it is a regular file within the
 * limit, and then read no further than the limit even if it grows meanwhile.
 */
public final class SafeFiles {
    public static final int KIB = 1024;
    public static final int MIB = 1024 * 1024;

    private SafeFiles() {}

    /**
     * Throws BAD_INPUT (exit 2) unless {@code file} is a regular file (or a symlink to one) of at most
     * {@code maxBytes}; {@link NoSuchFileException} when it does not exist, so callers keep their
     * "missing" meaning. {@code what} names the file for people ("config file", "playbook").
     */
    public static BasicFileAttributes requireRegular(Path file, long maxBytes, String what) throws NoSuchFileException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw MinskyException.badInput("cannot read the " + what + " " + file + ": " + e.getMessage(),
                    "check the path and its permissions");
        }
        if (a.isDirectory()) {
            throw MinskyException.badInput("the " + what + " " + file + " is a directory, not a file",
                    "move it aside or name a file");
        }
        if (!a.isRegularFile()) {
            throw MinskyException.badInput("the " + what + " " + file + " is not a regular file (" + kind(file) + "); it was not opened",
                    "a FIFO or a device never ends: replace it with an ordinary file, or move it aside");
        }
        if (a.size() > maxBytes) {
            throw MinskyException.badInput("the " + what + " " + file + " is " + size(a.size()) + ", more than the "
                    + size(maxBytes) + " a " + what + " may have; it was not read",
                    "check that it is the right file; move it aside or shorten it");
        }
        return a;
    }

    /** The whole file, after {@link #requireRegular}; never more than {@code maxBytes}. */
    public static byte[] readBounded(Path file, long maxBytes, String what) throws NoSuchFileException {
        requireRegular(file, maxBytes, what);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (data.length > maxBytes) {
                throw MinskyException.badInput("the " + what + " " + file + " grew past " + size(maxBytes) + " while it was read",
                        "check what writes to it; move it aside or shorten it");
            }
            return data;
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw MinskyException.badInput("cannot read the " + what + " " + file + ": " + e.getMessage(),
                    "check the path and its permissions");
        }
    }

    /** Throws BAD_INPUT when a value (a config value, a path) is longer than {@code maxChars}. */
    public static String bounded(String value, int maxChars, String what) {
        if (value != null && value.length() > maxChars) {
            throw MinskyException.badInput(what + " is " + value.length() + " characters long, more than the " + maxChars
                    + " allowed", "give a shorter value");
        }
        return value;
    }

    private static String kind(Path file) {
        try {
            Object mode = Files.getAttribute(file, "unix:mode");
            int m = ((Integer) mode) & 0170000;
            return switch (m) {
                case 0010000 -> "a FIFO";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
    }

    static String size(long bytes) {
        if (bytes >= MIB) {
            return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
        }
        if (bytes >= KIB) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / (double) KIB);
        }
        return bytes + " bytes";
    }
}
