package dev.minsky.backend.postgres;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * libpq's environment variables applied to a connection string, as libpq applies them: a value
 * in the string wins, the variable fills in what the string leaves out. {@code PGSSLMODE},
 * {@code PGSSLROOTCERT}, {@code PGSSLCERT}, {@code PGSSLKEY}; a password left out of the string
 * comes from {@code PGPASSWORD}, else from the password file ({@code PGPASSFILE} or
 * {@code ~/.pgpass}, named in the {@code passfile} parameter and read by {@link PgPass} at connect
 * time); {@code ~/.postgresql/root.crt}, when it exists, is the default {@code sslrootcert}.
 *
 * <p>The result lives only in memory ({@code Settings}); it is never written to a config file. It
 * may hold the password from {@code PGPASSWORD}, so it is masked wherever the string is shown.
 */
public final class PgEnvironment {
    private static final Map<String, String> VARIABLES = Map.of("PGSSLMODE", "sslmode", "PGSSLROOTCERT", "sslrootcert",
            "PGSSLCERT", "sslcert", "PGSSLKEY", "sslkey");

    private PgEnvironment() {}

    /** The connection string with the environment's defaults added; unchanged when it does not parse. */
    public static String apply(String connectionString, Function<String, String> env, Path home) {
        if (connectionString == null || connectionString.isBlank()) {
            return connectionString;
        }
        PgUrl u;
        try {
            u = PgUrl.parse(connectionString);
        } catch (RuntimeException e) {
            return connectionString; // the config probe and every command say what is wrong with it
        }
        Map<String, String> add = new LinkedHashMap<>();
        for (String var : new String[] {"PGSSLMODE", "PGSSLROOTCERT", "PGSSLCERT", "PGSSLKEY"}) {
            String v = env.apply(var);
            String param = VARIABLES.get(var);
            if (v != null && !v.isEmpty() && !u.params().containsKey(param)) {
                add.put(param, v);
            }
        }
        if (home != null && !u.params().containsKey("sslrootcert") && !add.containsKey("sslrootcert")) {
            Path root = home.resolve(".postgresql").resolve("root.crt");
            if (Files.isRegularFile(root)) {
                add.put("sslrootcert", root.toString());
            }
        }
        if (u.password() == null) {
            String pw = env.apply("PGPASSWORD");
            if (pw != null && !pw.isEmpty()) {
                add.put("password", pw);
            } else if (!u.params().containsKey("passfile")) {
                String file = env.apply("PGPASSFILE");
                if (file != null && !file.isEmpty()) {
                    add.put("passfile", file);
                } else if (home != null) {
                    add.put("passfile", home.resolve(".pgpass").toString());
                }
            }
        }
        if (add.isEmpty()) {
            return connectionString;
        }
        if (PgUrl.isKeyValue(connectionString)) {
            String kv = connectionString.trim();
            for (Map.Entry<String, String> e : add.entrySet()) {
                kv = PgUrl.withParam(kv, e.getKey(), e.getValue());
            }
            return kv;
        }
        StringBuilder sb = new StringBuilder(connectionString.trim());
        char sep = sb.indexOf("?") >= 0 ? '&' : '?';
        for (Map.Entry<String, String> e : add.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(encode(e.getValue()));
            sep = '&';
        }
        return sb.toString();
    }

    private static String encode(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
