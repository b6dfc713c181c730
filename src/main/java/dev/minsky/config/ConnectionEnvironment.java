package dev.minsky.config;

import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Fills in what a connection string leaves out from the environment (libpq's {@code PGSSLMODE},
 * {@code PGPASSWORD}, {@code ~/.pgpass} ...). The PostgreSQL store knows those rules; it is found
 * with {@link ServiceLoader} so that the config depends on no store, and loaded only when a
 * connection string is set.
 */
public interface ConnectionEnvironment {
    /** The connection string with the environment's values added; {@code connectionString} is not blank. */
    String apply(String connectionString, Function<String, String> env, Path home);

    /** Every loaded one, in turn; the string as given when none is loaded or it is blank. */
    static String applyAll(String connectionString, Function<String, String> env, Path home) {
        if (connectionString == null || connectionString.isBlank()) {
            return connectionString;
        }
        String s = connectionString;
        for (ConnectionEnvironment c : Loaded.ALL) {
            s = c.apply(s, env, home);
        }
        return s;
    }

    /** Holder: loaded once, on first use. */
    final class Loaded {
        private static final List<ConnectionEnvironment> ALL = ServiceLoader.load(ConnectionEnvironment.class,
                ConnectionEnvironment.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();

        private Loaded() {}
    }
}
