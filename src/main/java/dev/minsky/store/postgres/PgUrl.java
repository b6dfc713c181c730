package dev.minsky.store.postgres;

import dev.minsky.MinskyException;
import dev.minsky.util.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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

    public static PgUrl parse(String connectionString) {
        if (connectionString == null || connectionString.isBlank()) {
            throw MinskyException.badInput("no PostgreSQL connection string is configured",
                    "minsky config set sessiondb.connectionString \"postgresql://USER:PASSWORD@HOST:5432/DB\" (or set MINSKY_POSTGRES_URL)");
        }
        String s = connectionString.trim();
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
        return new PgUrl(host == null ? "localhost" : host, u.getPort() < 0 ? 5432 : u.getPort(),
                db != null ? db : user, user, password, params);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static MinskyException bad(String cs, String why) {
        return MinskyException.badInput("invalid PostgreSQL connection string '" + Secrets.mask(cs) + "': " + why,
                "write it as postgresql://USER:PASSWORD@HOST:5432/DATABASE");
    }

    /** The JDBC URL without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + (database == null ? "" : java.net.URLEncoder.encode(database, StandardCharsets.UTF_8));
    }

    /** Driver properties: user, password and the extra parameters. */
    public Properties properties() {
        Properties p = new Properties();
        params.forEach(p::setProperty);
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
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
