package dev.minsky.backend.postgres;

import dev.minsky.config.ConnectionEnvironment;
import java.nio.file.Path;
import java.util.function.Function;

/** libpq's environment rules for a PostgreSQL connection string ({@link PgEnvironment}), for the config. */
public final class PgConnectionEnvironment implements ConnectionEnvironment {
    @Override
    public String apply(String connectionString, Function<String, String> env, Path home) {
        return PgEnvironment.apply(connectionString, env, home);
    }
}
