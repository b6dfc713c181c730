package dev.minsky.util;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Session records, their logs and backups are the user's own: what minsky creates is 0700
 * (directories) and 0600 (files) whatever the umask, which a permission given at creation cannot
 * promise (the umask is applied to it), so the mode is set after creation. Directories and files
 * that already exist keep the mode their owner gave them.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /** {@link Files#createDirectories}, with every directory it creates made 0700. */
    public static Path createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = abs; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            try {
                Files.createDirectory(p);
                chmod(p, DIR);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
                // made by another process just now: its own mode stands
            }
        }
        return dir;
    }

    /** Creates an empty file of mode 0600 unless one exists; true when it was created. */
    public static boolean createFile(Path file) throws IOException {
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        chmod(file, FILE);
        return true;
    }

    /** Makes a file minsky has just created 0600 (a no-op when it is not there). */
    public static void makePrivate(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            chmod(file, FILE);
        }
    }

    private static void chmod(Path p, Set<PosixFilePermission> mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, mode);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own access rules apply
        }
    }
}
