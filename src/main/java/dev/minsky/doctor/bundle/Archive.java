package dev.minsky.doctor.bundle;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the bundle's entries as a zip or a gzip-compressed ustar archive. The tar writer is ours
 * (fifty lines for the one case we need: flat, short names, regular files) rather than a new
 * dependency; it writes mode 0600 and leaves the owner name fields empty, so that the archive's
 * headers do not carry the user's name either. The archive is written to a temp file created with
 * mode 0600 in the target's directory and renamed over the target, so no reader ever sees half a
 * bundle and nothing is left behind on failure.
 */
final class Archive {
    enum Format {
        ZIP, TAR_GZ;

        static Format forFile(Path file) {
            String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
            return n.endsWith(".tar.gz") || n.endsWith(".tgz") ? TAR_GZ : ZIP;
        }

        String id() {
            return this == ZIP ? "zip" : "tar.gz";
        }
    }

    /** One file in the archive. */
    record Entry(String name, byte[] data) {}

    private Archive() {}

    static byte[] build(Format format, List<Entry> entries, Instant mtime) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (format == Format.ZIP) {
            try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
                for (Entry e : entries) {
                    ZipEntry z = new ZipEntry(e.name());
                    z.setLastModifiedTime(FileTime.from(mtime));
                    zip.putNextEntry(z);
                    zip.write(e.data());
                    zip.closeEntry();
                }
            }
        } else {
            try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
                for (Entry e : entries) {
                    gz.write(tarHeader(e.name(), e.data().length, mtime.getEpochSecond()));
                    gz.write(e.data());
                    int pad = (512 - e.data().length % 512) % 512;
                    gz.write(new byte[pad]);
                }
                gz.write(new byte[1024]);
            }
        }
        return bytes.toByteArray();
    }

    static byte[] tarHeader(String name, long size, long mtime) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 100) {
            throw new IllegalArgumentException("tar entry name longer than 100 bytes: " + name);
        }
        byte[] h = new byte[512];
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, 0600);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = '0';
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        // uname (265) and gname (297) stay empty: no user name in the headers
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] chk = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(chk, 0, h, 148, 8);
        return h;
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String s = String.format("%0" + (len - 1) + "o", value);
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, len - 1);
        h[off + len - 1] = 0;
    }

    /** Writes data to target atomically with mode 0600 (also when the target existed with another mode). */
    static void writeAtomically(Path target, byte[] data) {
        Path dir = target.toAbsolutePath().getParent();
        byte[] rnd = new byte[8];
        new SecureRandom().nextBytes(rnd);
        Path tmp = dir.resolve(".minsky-bundle-tmp-" + HexFormat.of().formatHex(rnd));
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (NoSuchFileException e) {
            throw MinskyException.badInput("cannot write the bundle: directory " + dir + " does not exist",
                    "create it, or give a file in an existing directory");
        } catch (AccessDeniedException e) {
            throw MinskyException.incomplete("cannot write the bundle to " + target + ": permission denied",
                    "give a file in a directory you can write to, e.g. --bundle /tmp/minsky-bundle.zip", e);
        } catch (IOException e) {
            throw MinskyException.incomplete("cannot write the bundle to " + target + ": " + e.getMessage(),
                    "check free space and permissions of " + dir, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // best effort: the temp file holds a sanitized bundle, not a secret
            }
        }
    }

    static void ensureWritableTarget(Path target) {
        if (Files.isDirectory(target)) {
            throw new MinskyException(ExitCode.BAD_INPUT, "cannot write the bundle: " + target + " is a directory",
                    "give a file name, e.g. --bundle " + target.resolve("minsky-bundle.zip"));
        }
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw MinskyException.badInput("cannot write the bundle: directory " + dir + " does not exist",
                    "create it, or give a file in an existing directory");
        }
    }
}
