package dev.minsky.backend.postgres;

import dev.minsky.MinskyException;
import dev.minsky.util.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A Minsky-style PostgreSQL connection string ({@code postgresql://user:pass@host:port/db?k=v},
 * also {@code postgres://} and {@code jdbc:postgresql://}) taken apart, so that the password is
 * handed to the driver as a property and never appears in a URL that could be logged.
 *
 * @param host host name (default localhost)
 * @param port port (default 5432)
 * @param database database name (default: the user name)
 * @param user role name (may be null: the driver then uses the OS user)
 * @param password password (may be null); never print it
 * @param params other query parameters, passed to the driver
 */
public record PgUrl(String host, int port, String database, String user, String password, Map<String, String> params) {
    /** libpq's sslmode values; pgjdbc 42.7 knows the same six. */
    public static final java.util.List<String> SSL_MODES = java.util.List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    /** libpq parameter names the driver spells differently. */
    private static final Map<String, String> LIBPQ_TO_JDBC = Map.of("application_name", "ApplicationName",
            "connect_timeout", "connectTimeout");
    private static final java.util.Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        // The driver's own .pgpass reader has no permission check and reads the JVM's environment;
        // PgPass reads it by libpq's rules from minsky's, so the driver's is pointed at nothing.
        if (System.getProperty("org.postgresql.pgpassfile") == null) {
            System.setProperty("org.postgresql.pgpassfile", "/dev/null");
        }
    }

    public static PgUrl parse(String connectionString) {
        if (connectionString == null || connectionString.isBlank()) {
            throw MinskyException.badInput("no PostgreSQL connection string is configured",
                    "minsky config set sessiondb.connectionString \"postgresql://USER:PASSWORD@HOST:5432/DB\" (or set MINSKY_POSTGRES_URL)");
        }
        String s = connectionString.trim();
        if (isKeyValue(s)) {
            return parseKeyValue(connectionString, s);
        }
        if (s.startsWith("jdbc:")) {
            s = s.substring(5);
        }
        if (!s.startsWith("postgresql://") && !s.startsWith("postgres://")) {
            throw bad(connectionString, "it must start with postgresql:// or postgres://");
        }
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw bad(connectionString, e.getReason());
        }
        String host = u.getHost();
        if (host == null && u.getRawAuthority() != null) {
            throw bad(connectionString, "the host part is not valid");
        }
        String user = null;
        String password = null;
        String ui = u.getRawUserInfo();
        if (ui != null) {
            int colon = ui.indexOf(':');
            user = decode(colon < 0 ? ui : ui.substring(0, colon));
            password = colon < 0 ? null : decode(ui.substring(colon + 1));
        }
        String path = u.getRawPath();
        String db = path == null || path.length() <= 1 ? null : decode(path.substring(1));
        Map<String, String> params = new LinkedHashMap<>();
        if (u.getRawQuery() != null) {
            for (String kv : u.getRawQuery().split("&")) {
                if (kv.isEmpty()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                String k = decode(eq < 0 ? kv : kv.substring(0, eq));
                String v = eq < 0 ? "" : decode(kv.substring(eq + 1));
                if (k.equals("user")) {
                    user = v;
                } else if (k.equals("password")) {
                    password = v;
                } else {
                    params.put(k, v);
                }
            }
        }
        String mode = params.get("sslmode");
        if (mode != null && !SSL_MODES.contains(mode)) {
            throw bad(connectionString, "sslmode=" + mode + " is not one of " + String.join(", ", SSL_MODES));
        }
        return new PgUrl(host == null ? "localhost" : host, u.getPort() < 0 ? 5432 : u.getPort(),
                db != null ? db : user, user, password, params);
    }

    /**
     * libpq's keywords a key=value string may hold, with what minsky does with them. Any other key
     * that pgjdbc knows as a connection property (prepareThreshold, ...) is passed to the driver as
     * in a URL's query; anything else is refused, since libpq and the driver would ignore or reject
     * it later with a message that no longer names the string.
     */
    public static final java.util.List<String> KEYWORDS = java.util.List.of("host", "port", "dbname", "user", "password",
            "passfile", "sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "application_name", "connect_timeout",
            "options");

    /**
     * True for libpq's keyword/value form ({@code host=h dbname=d}): not a URL (no {@code ://} before
     * the first {@code =}) and has an {@code =}.
     */
    public static boolean isKeyValue(String connectionString) {
        if (connectionString == null) {
            return false;
        }
        String s = connectionString.trim();
        int eq = s.indexOf('=');
        int scheme = s.indexOf("://");
        if (scheme >= 0 && (eq < 0 || scheme < eq)) {
            return false;
        }
        return eq >= 0;
    }

    /** The pairs of a key=value string by libpq's rules, in order; BAD_INPUT (the string masked) when malformed. */
    public static java.util.List<Map.Entry<String, String>> keyValuePairs(String connectionString) {
        String s = connectionString;
        java.util.List<Map.Entry<String, String>> out = new java.util.ArrayList<>();
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            int ks = i;
            while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String key = s.substring(ks, i);
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n || s.charAt(i) != '=') {
                throw badKv(connectionString, "missing '=' after '" + key + "'");
            }
            if (key.isEmpty()) {
                throw badKv(connectionString, "a '=' without a key before it");
            }
            i++;
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            StringBuilder v = new StringBuilder();
            if (i < n && s.charAt(i) == '\'') {
                int open = i;
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = s.charAt(i);
                    if (c == '\\' && i + 1 < n) {
                        v.append(s.charAt(i + 1));
                        i += 2;
                    } else if (c == '\'') {
                        closed = true;
                        i++;
                        break;
                    } else {
                        v.append(c);
                        i++;
                    }
                }
                if (!closed) {
                    throw badKv(connectionString, "the quoted value of '" + key + "' (from character " + (open + 1)
                            + ") has no closing quote");
                }
            } else {
                while (i < n && !Character.isWhitespace(s.charAt(i))) {
                    char c = s.charAt(i);
                    if (c == '\\' && i + 1 < n) {
                        v.append(s.charAt(i + 1));
                        i += 2;
                    } else {
                        v.append(c);
                        i++;
                    }
                }
            }
            out.add(Map.entry(key, v.toString()));
        }
    }

    private static PgUrl parseKeyValue(String original, String s) {
        String host = null;
        int port = 5432;
        String db = null;
        String user = null;
        String password = null;
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : keyValuePairs(s)) {
            String k = e.getKey();
            String v = e.getValue();
            switch (k) {
                case "host" -> host = v.isEmpty() ? null : v;
                case "port" -> {
                    try {
                        port = v.isEmpty() ? 5432 : Integer.parseInt(v);
                    } catch (NumberFormatException x) {
                        port = -1;
                    }
                    if (port < 1 || port > 65535) {
                        throw badKv(original, "port=" + v + " is not a port number (1-65535)");
                    }
                }
                case "dbname" -> db = v.isEmpty() ? null : v;
                case "user" -> user = v.isEmpty() ? null : v;
                case "password" -> password = v;
                default -> {
                    if (!KEYWORDS.contains(k) && org.postgresql.PGProperty.forName(k) == null && !k.equals("pgbouncer")) {
                        String near = KEYWORDS.stream().filter(w -> dev.minsky.util.EditDistance.between(w, k) <= 2).findFirst()
                                .map(w -> " (did you mean '" + w + "'?)").orElse("");
                        throw badKv(original, "unknown key '" + k + "'" + near + "; the keys are " + String.join(", ", KEYWORDS)
                                + ", or a pgjdbc connection property such as prepareThreshold");
                    }
                    params.put(k, v);
                }
            }
        }
        if (host != null && (host.contains(",") || host.startsWith("/"))) {
            throw badKv(original, "host=" + host + " is " + (host.startsWith("/") ? "a Unix socket directory" : "a list of hosts")
                    + ", which minsky does not support; name one TCP host");
        }
        String mode = params.get("sslmode");
        if (mode != null && !SSL_MODES.contains(mode)) {
            throw badKv(original, "sslmode=" + mode + " is not one of " + String.join(", ", SSL_MODES));
        }
        return new PgUrl(host == null ? "localhost" : host, port, db != null ? db : user, user, password, params);
    }

    private static MinskyException badKv(String cs, String why) {
        return MinskyException.badInput("invalid PostgreSQL connection string '" + Secrets.mask(cs) + "': " + why,
                "write it as host=HOST port=5432 dbname=DATABASE user=USER password='PASSWORD' (quote a value with"
                        + " blanks in single quotes, \\' and \\\\ inside), or as postgresql://USER:PASSWORD@HOST:5432/DATABASE");
    }

    /** libpq's quoting for a value in a key=value string: bare when it can be, else single-quoted with \\ and \'. */
    public static String quoteValue(String v) {
        if (!v.isEmpty() && v.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '\\')) {
            return v;
        }
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * The connection string as written with {@code key} set to {@code value} (replacing it if there),
     * in its own form: {@code &key=value} on a URL, {@code key=value} on a key=value string.
     * Null {@code value} removes the key.
     */
    public static String withParam(String connectionString, String key, String value) {
        String s = connectionString.trim();
        if (isKeyValue(s)) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, String> e : keyValuePairs(s)) {
                if (!e.getKey().equals(key)) {
                    sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(quoteValue(e.getValue()));
                }
            }
            if (value != null) {
                sb.append(sb.length() == 0 ? "" : " ").append(key).append('=').append(quoteValue(value));
            }
            return sb.toString();
        }
        throw new IllegalArgumentException("withParam takes a key=value string");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static MinskyException bad(String cs, String why) {
        return MinskyException.badInput("invalid PostgreSQL connection string '" + Secrets.mask(cs) + "': " + why,
                "write it as postgresql://USER:PASSWORD@HOST:5432/DATABASE (or host=HOST port=5432 dbname=DATABASE user=USER)");
    }

    /** The JDBC URL without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + (database == null ? "" : java.net.URLEncoder.encode(database, StandardCharsets.UTF_8));
    }

    /**
     * Driver properties: user, password and the extra parameters, libpq's names mapped to the
     * driver's. TLS follows libpq where pgjdbc differs: {@code sslmode=require} with a root
     * certificate verifies the chain ({@code verify-ca}), as libpq does when it has a root
     * certificate; {@code sslrootcert=system} trusts the JVM's CAs and means {@code verify-full}.
     * A password missing from the URL is looked up in {@code passfile} (see {@link PgPass}).
     */
    public Properties properties() {
        Properties p = new Properties();
        params.forEach((k, v) -> {
            if (!k.equals("passfile")) {
                p.setProperty(LIBPQ_TO_JDBC.getOrDefault(k, k), v);
            }
        });
        String root = params.get("sslrootcert");
        if ("system".equals(root)) {
            p.remove("sslrootcert");
            p.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
            p.setProperty("sslmode", "verify-full");
        } else if (root != null && "require".equals(params.get("sslmode"))) {
            p.setProperty("sslmode", "verify-ca");
        }
        if (user != null) {
            p.setProperty("user", user);
        }
        String pw = resolvedPassword();
        if (pw != null) {
            p.setProperty("password", pw);
        }
        return p;
    }

    /** The sslmode the driver will use (pgjdbc's default is prefer, as libpq's). */
    public String sslMode() {
        String root = params.get("sslrootcert");
        if ("system".equals(root)) {
            return "verify-full";
        }
        String m = params.get("sslmode");
        if (m == null) {
            return "true".equalsIgnoreCase(params.get("ssl")) ? "verify-full" : "prefer";
        }
        return root != null && m.equals("require") ? "verify-ca" : m;
    }

    /** The CA file the driver verifies with (its default is ~/.postgresql/root.crt), or "system". */
    public String rootCert() {
        String root = params.get("sslrootcert");
        return root != null ? root : Path.of(System.getProperty("user.home"), ".postgresql", "root.crt").toString();
    }

    /** The password from the URL, else from the password file; null when neither has one. */
    public String resolvedPassword() {
        if (password != null) {
            return password;
        }
        PgPass.Result r = passfileLookup();
        if (r.warning() != null && WARNED.add(r.warning())) {
            System.err.println("minsky: warning: " + r.warning());
        }
        return r.password();
    }

    /** The lookup in {@code passfile} (set from PGPASSFILE or ~/.pgpass by {@link PgEnvironment}). */
    public PgPass.Result passfileLookup() {
        String file = params.get("passfile");
        if (password != null || file == null || file.isEmpty()) {
            return new PgPass.Result(null, null);
        }
        return PgPass.lookup(Path.of(file), host, port, database, user);
    }

    /** The same server and options with another password (null: none). */
    public PgUrl withPassword(String pw) {
        return new PgUrl(host, port, database, user, pw, params);
    }

    /** Safe to print: postgresql://user:****@host:port/db. */
    public String masked() {
        return "postgresql://" + (user == null ? "" : user + (password == null ? "" : ":" + Secrets.MASK) + "@")
                + host + ":" + port + "/" + (database == null ? "" : database);
    }

    @Override
    public String toString() {
        return masked();
    }
}
