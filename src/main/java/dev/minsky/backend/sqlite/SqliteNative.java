package dev.minsky.backend.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Keeps the driver's native library in a private per-user directory and points the driver at it.
 * Left alone, sqlite-jdbc copies its 1 MB library to a new file in the temp directory on every
 * start (a third of a short command's time on a busy machine) and leaves it behind whenever the
 * process is killed. The directory must be a real directory owned by this user with mode 0700, so
 * nobody else can plant a library there; when anything about it is not right, the driver's own
 * behaviour is used.
 */
public final class SqliteNative {
    private static boolean prepared;

    private SqliteNative() {}

    /** Call before the first SQLite connection of the process; cheap after the first call. */
    public static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        try {
            String name = LibraryLoaderUtil.getNativeLibName();
            URL url = SQLiteJDBCLoader.class.getResource(LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name);
            if (url == null) {
                return;
            }
            int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "minsky-native-" + uid);
            Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(owner));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another process made it: checked below like any existing one
                }
            }
            if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    || (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS) != uid
                    || !Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(owner)) {
                return;
            }
            URLConnection conn = url.openConnection();
            long size = conn.getContentLengthLong();
            String cached = "sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-"
                    + LibraryLoaderUtil.getNativeLibResourcePath().replaceAll("[^A-Za-z0-9_.]+", "-") + "-" + name;
            Path lib = dir.resolve(cached);
            boolean good = Files.isRegularFile(lib, LinkOption.NOFOLLOW_LINKS) && size > 0 && Files.size(lib) == size;
            if (!good) {
                Path tmp = Files.createTempFile(dir, "lib-", ".tmp");
                try (InputStream in = conn.getInputStream()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    if (size > 0 && Files.size(tmp) != size) {
                        return;
                    }
                    // Renamed into place whole, so a concurrent start never loads a half-written file.
                    Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", cached);
        } catch (IOException | RuntimeException e) {
            // the driver extracts its own copy as usual
        }
    }
}
