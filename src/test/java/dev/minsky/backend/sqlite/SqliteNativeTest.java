package dev.minsky.backend.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's native library cached once per driver version in a private directory (issue 12). */
class SqliteNativeTest {
    @TempDir Path tmp;

    private static int uid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    @Test
    void extractedOnceIntoAPrivateDirectoryThenUsedFromTheCache() throws Exception {
        Path dir = tmp.resolve("minsky-native-" + uid());
        SqliteNative.Resolved first = SqliteNative.resolve(dir, uid());
        assertNotNull(first, "a library for this platform is in the driver's jar");
        assertEquals(SqliteNative.Outcome.EXTRACTED, first.outcome());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.library())));
        assertEquals(dir, first.library().getParent());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "the library and its record, no temporary file left: " + list(dir));
        }
        Object inode = Files.readAttributes(first.library(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        SqliteNative.Resolved second = SqliteNative.resolve(dir, uid());
        assertEquals(SqliteNative.Outcome.CACHED, second.outcome());
        assertEquals(first.library(), second.library());
        assertEquals(inode, Files.readAttributes(second.library(), java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                "the cached file itself, not a new copy");
    }

    @Test
    void aCorruptOrShortCachedLibraryIsReplaced() throws Exception {
        Path dir = tmp.resolve("native");
        Path lib = SqliteNative.resolve(dir, uid()).library();
        byte[] good = Files.readAllBytes(lib);

        // one byte changed, same size: only the CRC tells
        try (FileChannel ch = FileChannel.open(lib, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (good[good.length / 2] ^ 0x5a)}), good.length / 2);
        }
        assertEquals(good.length, Files.size(lib));
        SqliteNative.Resolved r = SqliteNative.resolve(dir, uid());
        assertEquals(SqliteNative.Outcome.EXTRACTED, r.outcome());
        assertArrayEquals(good, Files.readAllBytes(r.library()));

        // truncated (a start killed while an older minsky copied it, a full disk)
        try (FileChannel ch = FileChannel.open(lib, StandardOpenOption.WRITE)) {
            ch.truncate(good.length / 3);
        }
        r = SqliteNative.resolve(dir, uid());
        assertEquals(SqliteNative.Outcome.EXTRACTED, r.outcome());
        assertArrayEquals(good, Files.readAllBytes(r.library()));
        assertEquals(SqliteNative.Outcome.CACHED, SqliteNative.resolve(dir, uid()).outcome());
    }

    @Test
    void aDamagedRecordOrAMissingLibraryIsExtractedAgain() throws Exception {
        Path dir = tmp.resolve("native");
        Path lib = SqliteNative.resolve(dir, uid()).library();
        Path record;
        try (Stream<Path> s = Files.list(dir)) {
            record = s.filter(p -> p.toString().endsWith(".id")).findFirst().orElseThrow();
        }
        for (String bad : List.of("", "/org/sqlite/native/../../etc/passwd\n1\n0\n", "/org/sqlite/native/Linux/x86_64/libsqlitejdbc.so\nten\nzz\n",
                "/org/sqlite/native/Nowhere/none/libsqlitejdbc.so\n1\n0\n")) {
            Files.writeString(record, bad, StandardCharsets.UTF_8);
            assertEquals(SqliteNative.Outcome.EXTRACTED, SqliteNative.resolve(dir, uid()).outcome(), "record " + bad);
            assertEquals(SqliteNative.Outcome.CACHED, SqliteNative.resolve(dir, uid()).outcome(), "after record " + bad);
        }
        Files.delete(lib);
        assertEquals(SqliteNative.Outcome.EXTRACTED, SqliteNative.resolve(dir, uid()).outcome());
        assertTrue(Files.isRegularFile(lib));
    }

    @Test
    void aDirectoryOthersCouldWriteToOrASymlinkIsNotUsed() throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertNull(SqliteNative.resolve(open, uid()), "a directory others can write to: the driver's own behaviour");
        try (Stream<Path> s = Files.list(open)) {
            assertEquals(0, s.count(), "nothing written there");
        }
        Path real = Files.createDirectory(tmp.resolve("real"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertNull(SqliteNative.resolve(link, uid()), "a symlink: someone else may point it elsewhere");
        assertNull(SqliteNative.resolve(real, uid() + 1), "a directory of another user");
    }

    /** Two real starts of minsky: the second loads the cached library and copies nothing. */
    @Test
    void theSecondStartOfMinskyUsesTheCachedLibrary() throws Exception {
        Path jtmp = Files.createDirectory(tmp.resolve("jtmp"));
        Path home = Files.createDirectory(tmp.resolve("home"));
        assertEquals(0, minsky(jtmp, home, "sessiondb", "init", "--backend", "sqlite"));
        Path dir = jtmp.resolve("minsky-native-" + uid());
        List<Path> files = list(dir);
        Path lib = files.stream().filter(p -> p.toString().endsWith(".so")).findFirst().orElseThrow(() -> new AssertionError(files));
        Object inode = Files.readAttributes(lib, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        long mtime = Files.getLastModifiedTime(lib).toMillis();

        assertEquals(0, minsky(jtmp, home, "session", "list", "--json"));
        assertEquals(files, list(dir), "no new file in the cache directory");
        assertEquals(inode, Files.readAttributes(lib, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
        assertEquals(mtime, Files.getLastModifiedTime(lib).toMillis());
        assertEquals(List.of(dir), list(jtmp), "the driver extracted no copy of its own into the temp directory");

        // a corrupt cached library: replaced, and the command still works
        Files.write(lib, new byte[] {0x7f, 'E', 'L', 'F'});
        assertEquals(0, minsky(jtmp, home, "session", "list", "--json"));
        assertNotEquals(4, Files.size(lib));
        assertEquals(SqliteNative.crcOf(lib), SqliteNative.crcOf(SqliteNative.resolve(dir, uid()).library()));
        assertFalse(list(dir).stream().anyMatch(p -> p.toString().endsWith(".tmp")));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private int minsky(Path jtmp, Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + jtmp,
                "-cp", System.getProperty("java.class.path"), dev.minsky.Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        pb.environment().clear();
        pb.environment().put("HOME", home.toString());
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Path out = tmp.resolve("out.txt");
        pb.redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        // a budget for a JVM start on a loaded machine, not a timing claim: a hang must not stall the build
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("minsky " + String.join(" ", args) + " did not end within 120 s");
        }
        int code = p.exitValue();
        if (code != 0) {
            System.out.println("minsky " + String.join(" ", args) + ": " + Files.readString(out));
        }
        return code;
    }
}
