package dev.minsky.store;

import dev.minsky.MinskyException;
import dev.minsky.config.ConfigKey;
import dev.minsky.config.ValueCheck;
import java.util.List;

/**
 * {@code sessiondb.backend} names a backend that is loaded: built in or a plugin jar's. Lives
 * with the stores (found through {@link ValueCheck}) so that the config depends on no store.
 */
public final class BackendIdCheck implements ValueCheck {
    @Override
    public ConfigKey key() {
        return ConfigKey.BACKEND;
    }

    /** The backend whose provider says it is the default (built-in: SQLite). */
    @Override
    public String defaultValue() {
        return Stores.defaultId();
    }

    @Override
    public void check(String value) {
        List<String> loaded = Stores.ids();
        if (!loaded.contains(value)) {
            throw MinskyException.badInput("invalid value '" + value + "' for " + ConfigKey.BACKEND.key(),
                    "choose one of: " + String.join(", ", loaded));
        }
    }
}
