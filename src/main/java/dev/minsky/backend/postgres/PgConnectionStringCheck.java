package dev.minsky.backend.postgres;

import dev.minsky.config.ConfigKey;
import dev.minsky.config.ValueCheck;

/** {@code sessiondb.connectionString} is checked with the store's own parser ({@link PgUrl#parse}). */
public final class PgConnectionStringCheck implements ValueCheck {
    @Override
    public ConfigKey key() {
        return ConfigKey.CONNECTION_STRING;
    }

    @Override
    public void check(String value) {
        PgUrl.parse(value);
    }
}
