package dev.minsky.config;

import dev.minsky.MinskyException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The configuration keys minsky knows, with the guide's names and their environment variables. */
public enum ConfigKey {
    /** No default here: the backend whose provider says it is the default (see {@link #defaultValue()}). */
    BACKEND("sessiondb.backend", null, false, List.of("MINSKY_SESSIONDB_BACKEND")),
    BASE_DIR("sessiondb.baseDir", null, false, List.of("MINSKY_SESSIONDB_BASE_DIR")),
    DB_PATH("sessiondb.dbPath", null, false, List.of("MINSKY_SESSIONDB_SQLITE_PATH")),
    CONNECTION_STRING("sessiondb.connectionString", null, true,
            List.of("MINSKY_SESSIONDB_POSTGRES_URL", "MINSKY_POSTGRES_URL")),
    MAX_CONNECTIONS("sessiondb.maxConnections", "10", false, List.of()),
    IDLE_TIMEOUT("sessiondb.idleTimeout", "30000", false, List.of()),
    /**
     * Issue 10: how long (ms) a command waits for a free PostgreSQL connection slot (a full server's
     * 53300, a pooler's "no more connections", this process's maxConnections) before it fails.
     * 30 s as HikariCP's connectionTimeout; PgBouncer's query_wait_timeout is 120 s.
     */
    CONNECTION_WAIT("sessiondb.connectionWait", "30000", false, List.of("MINSKY_POSTGRES_WAIT_MS"));

    private final String key;
    private final String defaultValue;
    private final boolean secret;
    private final List<String> envVars;

    ConfigKey(String key, String defaultValue, boolean secret, List<String> envVars) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.secret = secret;
        this.envVars = envVars;
    }

    public String key() {
        return key;
    }

    /**
     * The value when nothing sets it, or null. For {@link #BACKEND} the stores say which
     * ({@code StoreProvider.isDefault()}, through {@link ValueCheck#defaultValue()}): the config names no backend.
     */
    public String defaultValue() {
        return defaultValue != null || this != BACKEND ? defaultValue : ValueCheck.defaultOf(this);
    }

    public boolean secret() {
        return secret;
    }

    /** Environment variables in order of precedence, first wins. */
    public List<String> envVars() {
        return envVars;
    }

    public static ConfigKey of(String key) {
        for (ConfigKey k : values()) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        throw MinskyException.badInput("unknown config key '" + key + "'",
                "known keys: " + Arrays.stream(values()).map(ConfigKey::key).collect(Collectors.joining(", ")));
    }

    /** Checks a value before it is stored; returns it normalised. */
    /** Issue 13: no setting needs more; a path or URL of megabytes is a mistake or an attack. */
    public static final int MAX_VALUE_CHARS = 4 * 1024;

    public String validate(String value) {
        dev.minsky.util.SafeFiles.bounded(value, MAX_VALUE_CHARS, "the value of " + key);
        switch (this) {
            case BACKEND -> {
                String v = value.toLowerCase(Locale.ROOT);
                // built in or a plugin jar's: the stores' own check (store.BackendIdCheck) knows them
                ValueCheck.run(this, v);
                return v;
            }
            case MAX_CONNECTIONS, IDLE_TIMEOUT, CONNECTION_WAIT -> {
                try {
                    int n = Integer.parseInt(value.trim());
                    if (n < (this == MAX_CONNECTIONS ? 1 : 0)) {
                        throw new NumberFormatException();
                    }
                    return Integer.toString(n);
                } catch (NumberFormatException e) {
                    throw MinskyException.badInput("invalid value '" + value + "' for " + key,
                            this == MAX_CONNECTIONS ? "give a whole number of connections, at least 1"
                                    : "give a whole number of milliseconds, 0 or more");
                }
            }
            case CONNECTION_STRING -> {
                // the store's own parser: what it accepts here is what it can connect with later
                ValueCheck.run(this, value);
                return value.trim();
            }
            default -> {
                if (value.isBlank()) {
                    throw MinskyException.badInput("empty value for " + key, "give a value, or use 'minsky config unset " + key + "'");
                }
                return value;
            }
        }
    }
}
