package dev.minsky.backend.postgres;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.config.ConfigService;
import dev.minsky.util.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A PostgreSQL password kept in a config file: found, and moved to the password file libpq and
 * minsky read ({@code PGPASSFILE} or {@code ~/.pgpass}, mode 0600), leaving the connection string
 * without it. Nothing here prints or logs a password.
 */
public final class PasswordInConfig {
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("^((?:jdbc:)?postgres(?:ql)?://[^:/@?#]*):[^@/?#]*@");
    private static final Pattern QUERY_PASSWORD = Pattern.compile("([?&])password=[^&#]*(&|$)");

    private PasswordInConfig() {}

    /** True when the connection string carries a password (in the user info or as {@code password=}). */
    public static boolean hasPassword(String connectionString) {
        if (connectionString == null) {
            return false;
        }
        try {
            return PgUrl.parse(connectionString).password() != null;
        } catch (RuntimeException e) {
            return USERINFO_PASSWORD.matcher(connectionString.trim()).find();
        }
    }

    /** The same string without its password. */
    public static String withoutPassword(String connectionString) {
        if (PgUrl.isKeyValue(connectionString)) {
            return PgUrl.withParam(connectionString, "password", null);
        }
        String s = USERINFO_PASSWORD.matcher(connectionString.trim()).replaceFirst("$1@");
        s = QUERY_PASSWORD.matcher(s).replaceAll(m -> m.group(2).isEmpty() ? "" : m.group(1));
        return s.endsWith("?") ? s.substring(0, s.length() - 1) : s;
    }

    /** Config files (of those given) whose {@code sessiondb.connectionString} holds a password. */
    public static List<Path> filesWithPassword(List<Path> files) {
        List<Path> out = new ArrayList<>();
        for (Path f : files) {
            if (f == null || !Files.isRegularFile(f) || !Files.isReadable(f)) {
                continue;
            }
            try {
                Map<String, String> flat = ConfigService.readFlat(f);
                if (hasPassword(flat.get("sessiondb.connectionString"))) {
                    out.add(f);
                }
            } catch (RuntimeException e) {
                // a file that does not parse is config.invalid's business
            }
        }
        return out;
    }

    /** The password file libpq would read: PGPASSFILE, else ~/.pgpass. */
    public static Path passFile(java.util.function.Function<String, String> env, Path home) {
        String f = env.apply("PGPASSFILE");
        return f != null && !f.isEmpty() ? Path.of(f) : home.resolve(".pgpass");
    }

    /**
     * Writes the password of {@code connectionString} as the first line of {@code passFile} for its
     * host, port, database and user (replacing a line for the same four), atomically, mode 0600.
     * Returns the line with the password masked, to show.
     */
    public static String writePassFile(Path passFile, String connectionString) {
        PgUrl u = PgUrl.parse(connectionString);
        if (u.password() == null) {
            throw MinskyException.badInput("the connection string holds no password to move", "nothing to do");
        }
        String user = u.user() != null ? u.user() : System.getProperty("user.name");
        String db = u.database() != null ? u.database() : user;
        String mine = PgPass.line(u.host(), u.port(), db, user, u.password());
        List<String> lines = new ArrayList<>();
        lines.add(mine);
        if (Files.exists(passFile)) {
            if (!Files.isRegularFile(passFile)) {
                throw MinskyException.badInput(passFile + " is not a regular file; not writing a password into it",
                        "move it aside, or set PGPASSFILE to another file");
            }
            try {
                if (Files.size(passFile) > PgPass.MAX_BYTES) {
                    throw MinskyException.badInput(passFile + " is larger than 1 MiB; not rewriting it", "check the file");
                }
                byte[] bytes;
                try (InputStream in = Files.newInputStream(passFile)) {
                    bytes = in.readNBytes((int) PgPass.MAX_BYTES + 1);
                }
                String key = PgPass.fields(mine).subList(0, 4).toString();
                for (String line : new String(bytes, StandardCharsets.UTF_8).split("\r?\n")) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    List<String> f = PgPass.fields(line);
                    if (!line.startsWith("#") && f.size() >= 5 && f.subList(0, 4).toString().equals(key)) {
                        continue; // the old password for the same server, database and user
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                throw new MinskyException(ExitCode.INCOMPLETE, "cannot read " + passFile + ": " + e.getMessage(), "check its permissions");
            }
        }
        try {
            if (passFile.getParent() != null) {
                Files.createDirectories(passFile.getParent());
            }
            AtomicFiles.write(passFile, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), "rw-------");
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot write " + passFile + ": " + e.getMessage(),
                    "check that its directory is writable; the config was not changed");
        }
        return PgPass.line(u.host(), u.port(), db, user, "****").replace("\\*", "*");
    }
}
