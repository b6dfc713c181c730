package dev.minsky.backend.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * libpq's password file ({@code ~/.pgpass}, or {@code PGPASSFILE}), read by libpq's rules: lines
 * {@code host:port:database:user:password}, the first line that matches wins, {@code *} matches
 * anything in the first four fields, {@code \:} and {@code \\} escape, {@code #} starts a comment.
 * A file that its group or others may read or write is ignored with a warning, as libpq does; so
 * is anything that is not a regular file (a FIFO would hang the read) or is over 1 MiB.
 *
 * <p>pgjdbc reads {@code .pgpass} on its own but without the permission check and from the JVM's
 * environment, not the one minsky was given; {@link PgUrl} switches that off and asks this class.
 */
public final class PgPass {
    static final long MAX_BYTES = 1 << 20;
    private static final Set<PosixFilePermission> GROUP_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /**
     * What a lookup found.
     *
     * @param password the password, or null when no line matched or the file was ignored
     * @param warning why the file was ignored (never holds a password), or null
     */
    public record Result(String password, String warning) {}

    private PgPass() {}

    /**
     * The password for a connection; {@code user} and {@code database} null mean libpq's defaults
     * (the OS user, and the user name for the database).
     */
    public static Result lookup(Path file, String host, int port, String database, String user) {
        if (file == null || !Files.exists(file)) {
            return new Result(null, null);
        }
        try {
            if (!Files.isRegularFile(file)) {
                return new Result(null, "password file " + file + " is not a regular file: ignored");
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.stream().anyMatch(GROUP_OTHERS::contains)) {
                return new Result(null, "password file " + file + " has group or world access: ignored"
                        + " (permissions should be u=rw (0600) or less: chmod 600 " + file + ")");
            }
            if (Files.size(file) > MAX_BYTES) {
                return new Result(null, "password file " + file + " is larger than 1 MiB: ignored");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) MAX_BYTES + 1);
            }
            String u = user != null && !user.isEmpty() ? user : System.getProperty("user.name");
            String db = database != null && !database.isEmpty() ? database : u;
            String h = host == null || host.isEmpty() ? "localhost" : host;
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\r?\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                List<String> f = fields(line);
                if (f.size() < 5) {
                    continue;
                }
                if (matches(f.get(0), h) && matches(f.get(1), Integer.toString(port)) && matches(f.get(2), db)
                        && matches(f.get(3), u)) {
                    return new Result(f.get(4), null);
                }
            }
            return new Result(null, null);
        } catch (IOException | UnsupportedOperationException e) {
            return new Result(null, "password file " + file + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * Every password in a pgpass file, whatever its mode (a file libpq ignores still holds them), for
     * redaction: the fifth field of each line, unescaped. Empty when the file is missing or unreadable.
     */
    public static List<String> passwords(Path file) {
        List<String> out = new ArrayList<>();
        if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("(?<!\\\\):", 5);
                if (parts.length == 5) {
                    out.add(parts[4].replace("\\:", ":").replace("\\\\", "\\"));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: nothing to learn from it
        }
        return out;
    }

    private static boolean matches(String pattern, String value) {
        return pattern.equals("*") || pattern.equals(value);
    }

    /** Splits on unescaped colons into at most five fields; the password field keeps its colons. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
            } else if (c == ':' && out.size() < 4) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** One pgpass line for these values, with {@code :} and {@code \} escaped. */
    public static String line(String host, int port, String database, String user, String password) {
        return esc(host) + ":" + port + ":" + esc(database) + ":" + esc(user) + ":" + esc(password);
    }

    private static String esc(String s) {
        return s == null ? "*" : s.replace("\\", "\\\\").replace(":", "\\:");
    }
}
