package dev.minsky.backend.sqlite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Keeps the driver's native library in a private per-user directory and points the driver at it.
 * Left alone, sqlite-jdbc on every start works out the platform (on Linux it forks {@code uname -o}
 * to look for Android/Termux and lists {@code /proc/self/map_files} to look for musl), lists the
 * whole temp directory to delete stale copies, and copies its 1 MB library to a new file there
 * (a third of a short command's time on a busy machine), leaving it behind whenever the process
 * is killed.
 *
 * <p>Here the library is extracted once per driver version and JVM into {@code
 * <tmp>/minsky-native-<uid>/}, which must be a real directory owned by this user with mode 0700 (so
 * nobody else can plant a library there); a small {@code .id} file beside it records which of the
 * jar's libraries it is, its size and its CRC-32. A later start reads that record, checks the cached
 * file's size and CRC against it and against the jar's own entry (the CRC the jar's directory
 * holds: nothing is inflated), and points the driver at it ({@code org.sqlite.lib.path/name}, and
 * {@code org.sqlite.tmpdir} so the driver's clean-up lists only that directory): no platform
 * detection, no copy. A missing, short or corrupt file or record is extracted again (written under
 * a temporary name, checked, renamed into place); when anything about the directory is not right,
 * or the driver cannot load the cached file, the driver's own behaviour is used.
 */
public final class SqliteNative {
    /** What {@link #resolve} did. */
    enum Outcome { CACHED, EXTRACTED }

    /** The library to load and how it was found. */
    record Resolved(Path library, Outcome outcome) {}

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static boolean prepared;

    private SqliteNative() {}

    /** Call before the first SQLite connection of the process; cheap after the first call. */
    public static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        if (System.getProperty("org.sqlite.lib.path") != null || System.getProperty("org.sqlite.lib.name") != null) {
            return;
        }
        try {
            int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            Resolved r = resolve(Path.of(System.getProperty("java.io.tmpdir"), "minsky-native-" + uid), uid);
            if (r == null) {
                return;
            }
            if (System.getProperty("org.sqlite.tmpdir") == null) {
                System.setProperty("org.sqlite.tmpdir", r.library().getParent().toString());
            }
            System.setProperty("org.sqlite.lib.path", r.library().getParent().toString());
            System.setProperty("org.sqlite.lib.name", r.library().getFileName().toString());
        } catch (IOException | RuntimeException e) {
            // the driver extracts its own copy as usual
        }
    }

    /**
     * The cached library in {@code dir} (made 0700 when absent), extracted when missing or not
     * identical to the jar's; null when {@code dir} is not a private directory of {@code uid} or
     * the jar holds no library for this platform.
     */
    static Resolved resolve(Path dir, int uid) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process made it: checked below like any existing one
            }
        }
        if (!privateDirectory(dir, uid)) {
            return null;
        }
        String stem = "sqlite-jdbc-" + SQLiteJDBCLoader.getVersion().replaceAll("[^A-Za-z0-9_.]+", "-") + "-" + platformKey();
        Path record = dir.resolve(stem + ".id");
        Path lib = dir.resolve(stem + "-" + LibraryLoaderUtil.getNativeLibName());
        Resolved cached = cached(record, lib, uid);
        if (cached != null) {
            return cached;
        }
        return extract(dir, record, lib);
    }

    /** The JVM and platform the detection's answer depends on, without detecting it (no fork). */
    private static String platformKey() {
        CRC32 crc = new CRC32();
        for (String p : new String[] {"os.name", "os.arch", "java.home", "java.vm.version", "org.sqlite.osinfo.architecture"}) {
            crc.update((p + "=" + System.getProperty(p, "") + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return String.format("%08x", crc.getValue());
    }

    private static boolean privateDirectory(Path dir, int uid) throws IOException {
        return !Files.isSymbolicLink(dir) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                && (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS) == uid
                && Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY);
    }

    /** The cached file when its record names a library of this jar and the file is that library. */
    private static Resolved cached(Path record, Path lib, int uid) {
        try {
            if (!Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(lib, LinkOption.NOFOLLOW_LINKS)
                    || (Integer) Files.getAttribute(lib, "unix:uid", LinkOption.NOFOLLOW_LINKS) != uid) {
                return null;
            }
            String resource;
            long size;
            long crc;
            try (BufferedReader in = Files.newBufferedReader(record, StandardCharsets.UTF_8)) {
                resource = in.readLine();
                size = Long.parseLong(in.readLine());
                crc = Long.parseLong(in.readLine(), 16);
            }
            if (resource == null || !resource.startsWith("/org/sqlite/native/") || resource.contains("..")) {
                return null;
            }
            URL url = SQLiteJDBCLoader.class.getResource(resource);
            if (url == null) {
                return null;
            }
            URLConnection conn = url.openConnection();
            if (!(conn instanceof JarURLConnection jar)) {
                return null; // not in a jar: no CRC to compare with without reading it all, extract
            }
            JarEntry entry = jar.getJarEntry();
            if (entry == null || entry.getSize() != size || entry.getCrc() != crc || Files.size(lib) != size || crcOf(lib) != crc) {
                return null;
            }
            return new Resolved(lib, Outcome.CACHED);
        } catch (IOException | RuntimeException e) {
            return null; // unreadable or malformed: extracted again
        }
    }

    private static Resolved extract(Path dir, Path record, Path lib) throws IOException {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        URL url = SQLiteJDBCLoader.class.getResource(resource);
        if (url == null) {
            return null;
        }
        URLConnection conn = url.openConnection();
        long expectedCrc = -1;
        long expectedSize = -1;
        if (conn instanceof JarURLConnection jar && jar.getJarEntry() != null) {
            expectedCrc = jar.getJarEntry().getCrc();
            expectedSize = jar.getJarEntry().getSize();
        }
        Path tmp = Files.createTempFile(dir, "lib-", ".tmp"); // 0600
        Path tmpRecord = null;
        try {
            CRC32 crc = new CRC32();
            long size = 0;
            try (InputStream in = conn.getInputStream();
                    OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    crc.update(buf, 0, n);
                    size += n;
                }
            }
            if (size == 0 || (expectedSize >= 0 && size != expectedSize) || (expectedCrc >= 0 && crc.getValue() != expectedCrc)) {
                return null;
            }
            // Renamed into place whole, so a concurrent start never loads a half-written file.
            Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmpRecord = Files.createTempFile(dir, "id-", ".tmp");
            Files.writeString(tmpRecord, resource + "\n" + size + "\n" + Long.toHexString(crc.getValue()) + "\n", StandardCharsets.UTF_8);
            Files.move(tmpRecord, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Resolved(lib, Outcome.EXTRACTED);
        } finally {
            Files.deleteIfExists(tmp);
            if (tmpRecord != null) {
                Files.deleteIfExists(tmpRecord);
            }
        }
    }

    static long crcOf(Path file) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
            }
        }
        return crc.getValue();
    }
}
