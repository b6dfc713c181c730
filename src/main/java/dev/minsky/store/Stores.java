package dev.minsky.store;

import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import java.util.ArrayList;
import java.util.List;
import dev.minsky.plugin.Plugins;

/**
 * Finds backends: the built-in ones and those of plugin jars in the current plugins folder
 * ({@link Plugins#current()}), all through {@code META-INF/services/dev.minsky.store.StoreProvider}.
 */
public final class Stores {
    private Stores() {}

    public static List<StoreProvider> providers() {
        List<StoreProvider> out = new ArrayList<>();
        for (StoreProvider p : Plugins.load(StoreProvider.class).all()) {
            try {
                if (p.id() != null && out.stream().noneMatch(o -> o.id().equals(p.id()))) {
                    out.add(p);
                }
            } catch (RuntimeException | LinkageError e) {
                // a plugin backend whose id() fails cannot be configured: left out
            }
        }
        return out;
    }

    /** Every backend id that can be configured: built-in ones first. */
    public static List<String> ids() {
        return providers().stream().map(StoreProvider::id).toList();
    }

    public static StoreProvider provider(String id) {
        List<StoreProvider> all = providers();
        for (StoreProvider p : all) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw MinskyException.badInput("unknown backend '" + id + "'",
                "known backends: " + String.join(", ", all.stream().map(StoreProvider::id).toList()));
    }

    public static StoreProvider provider(Settings s) {
        return provider(s.backend());
    }

    public static SessionStore open(Settings s, boolean create) {
        return provider(s).open(s, create);
    }
}
