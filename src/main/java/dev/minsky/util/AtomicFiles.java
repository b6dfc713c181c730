package dev.minsky.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file replacement: write a temp file in the same directory, fsync it, rename it over
 * the target, fsync the directory. A reader sees the old file or the new one, never a mix, even
 * if the process is killed at any point.
 */
public final class AtomicFiles {
    /** Prefix of temp files, so that the doctor can recognise leftovers of a crashed write. */
    public static final String TEMP_PREFIX = ".minsky-tmp-";

    private AtomicFiles() {}

    public static void write(Path target, byte[] data) throws IOException {
        write(target, data, "rw-------");
    }

    /**
     * @param newFileMode permissions for a file that does not exist yet; an existing file keeps
     *     its own
     */
    public static void write(Path target, byte[] data, String newFileMode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        PrivateFiles.createDirectories(dir);
        Set<PosixFilePermission> perms = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString(newFileMode);
        Path tmp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, perms);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
            }
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The temp files beside {@code target} that a writer left when it died between creating and
     * renaming them ({@code .minsky-tmp-<name>-<pid>-<random>} whose pid is no longer alive). A
     * temp file of a live writer, or of an older build that did not name its pid, is not listed.
     */
    public static java.util.List<Path> leftovers(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        String prefix = TEMP_PREFIX + target.getFileName() + "-";
        java.util.List<Path> dead = new java.util.ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return dead;
        }
        try (var names = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : names) {
                String rest = p.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                if (dash <= 0) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(rest.substring(0, dash));
                    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        dead.add(p);
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        }
        return dead;
    }

    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Copies a file and fsyncs the copy and its directory. */
    public static void copyDurably(Path from, Path to) throws IOException {
        write(to, Files.readAllBytes(from), "rw-------");
    }
}
