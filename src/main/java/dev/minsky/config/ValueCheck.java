package dev.minsky.config;

import java.util.List;
import java.util.ServiceLoader;

/**
 * A check of a config value that only a part above the config knows how to make: the PostgreSQL
 * store checks a connection string with its own parser, so that what {@code config set} accepts
 * is what the store can connect with later. Found with {@link ServiceLoader}
 * ({@code META-INF/services/dev.minsky.config.ValueCheck}), so that the config depends on no
 * store (the stores depend on the config: {@link Settings}).
 */
public interface ValueCheck {
    /** The key whose values this checks. */
    ConfigKey key();

    /** Throws a bad-input {@link dev.minsky.MinskyException} (what is wrong, how to write it) when the value is not valid. */
    void check(String value);

    /**
     * The value this key has when nothing sets it, when only the part above the config knows it (the
     * default backend is the one whose provider says it is the default); null: no say. Cheap.
     */
    default String defaultValue() {
        return null;
    }

    /** The first loaded check's {@link #defaultValue()} for this key, or null. */
    static String defaultOf(ConfigKey key) {
        for (ValueCheck c : Loaded.ALL) {
            if (c.key() == key) {
                String v = c.defaultValue();
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }

    /** Runs every check loaded for this key; loaded on first use, so a run that sets no such key loads none. */
    static void run(ConfigKey key, String value) {
        for (ValueCheck c : Loaded.ALL) {
            if (c.key() == key) {
                c.check(value);
            }
        }
    }

    /** Holder: the checks, loaded once. */
    final class Loaded {
        private static final List<ValueCheck> ALL = ServiceLoader.load(ValueCheck.class, ValueCheck.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList();

        private Loaded() {}
    }
}
