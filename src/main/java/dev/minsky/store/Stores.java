package dev.minsky.store;

import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds backends with ServiceLoader. */
public final class Stores {
    private Stores() {}

    public static List<StoreProvider> providers() {
        List<StoreProvider> out = new ArrayList<>();
        ServiceLoader.load(StoreProvider.class, Stores.class.getClassLoader()).forEach(out::add);
        return out;
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
