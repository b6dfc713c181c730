package dev.minsky.doctor.fix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Small path helpers the built-in actions share. */
public final class Paths2 {
    private Paths2() {}

    /**
     * Where an original is kept beside the file that replaces it: {@code <file>.<tag>-<UTC time>},
     * e.g. {@code session-db.json.corrupt-20250101T120000Z}.
     */
    public static Path aside(Path file, String tag, Instant at) {
        return file.resolveSibling(file.getFileName() + "." + tag + "-" + dev.minsky.model.Timestamps.fileStamp(at));
    }

    /** The directories that {@code mkdir -p dir} would create, outermost first (empty when it exists). */
    public static List<Path> missingDirs(Path dir) {
        List<Path> out = new ArrayList<>();
        for (Path d = dir.toAbsolutePath(); d != null && !Files.exists(d); d = d.getParent()) {
            out.add(d);
        }
        Collections.reverse(out);
        return out;
    }

    /** The mode as {@code 0644}, or "?" when it cannot be read. */
    public static String octal(Path p) {
        try {
            int m = 0;
            for (var perm : Files.getPosixFilePermissions(p)) {
                m |= 1 << (8 - perm.ordinal());
            }
            return String.format("%04o", m);
        } catch (Exception e) {
            return "?";
        }
    }

    public static String octal(String rwx) {
        int m = 0;
        for (var perm : PosixFilePermissions.fromString(rwx)) {
            m |= 1 << (8 - perm.ordinal());
        }
        return String.format("%04o", m);
    }
}
