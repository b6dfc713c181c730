package dev.minsky.store;

import dev.minsky.MinskyException;
import dev.minsky.MinskyPaths;
import java.util.concurrent.atomic.AtomicReference;
import dev.minsky.config.Settings;
import java.util.ArrayList;
import java.util.List;
import dev.minsky.plugin.Plugins;

/**
 * Finds backends: the built-in ones and those of plugin jars in the current plugins folder
 * ({@link Plugins#current()}), all through {@code META-INF/services/dev.minsky.store.StoreProvider}.
 *
 * <p>The providers are looked up once per run and kept: the doctor asks for them from every probe,
 * on several threads. The list is rebuilt when the plugins folder in use changes or a new run says
 * which one it uses ({@link Plugins#use}, see {@link Plugins#generation()}). Safe for concurrent use:
 * two threads that find the cache stale may both build the list; both get an equal one and the last
 * one built is kept.
 */
public final class Stores {
    private Stores() {}

    /** The providers of one plugins folder at one {@link Plugins#generation()}. */
    private record Cached(MinskyPaths paths, long generation, List<StoreProvider> providers, List<String> ids) {}

    private static final AtomicReference<Cached> CACHE = new AtomicReference<>();

    private static Cached cached() {
        long gen = Plugins.generation();
        MinskyPaths paths = Plugins.current();
        Cached c = CACHE.get();
        if (c != null && c.generation() == gen && c.paths().equals(paths)) {
            return c;
        }
        List<StoreProvider> ps = lookUp(paths);
        Cached fresh = new Cached(paths, gen, ps, ps.stream().map(StoreProvider::id).toList());
        CACHE.set(fresh);
        return fresh;
    }

    /** Every backend, built-in ones first, then plugin jars' (first of each id wins). Cached per run. */
    public static List<StoreProvider> providers() {
        return cached().providers();
    }

    private static List<StoreProvider> lookUp(MinskyPaths paths) {
        List<StoreProvider> out = new ArrayList<>();
        for (StoreProvider p : Plugins.load(StoreProvider.class, paths).all()) {
            try {
                if (p.id() != null && out.stream().noneMatch(o -> o.id().equals(p.id()))) {
                    out.add(p);
                }
            } catch (RuntimeException | LinkageError e) {
                // a plugin backend whose id() fails cannot be configured: left out
            }
        }
        return List.copyOf(out);
    }

    /** Every backend id that can be configured: built-in ones first. Cached per run. */
    public static List<String> ids() {
        return cached().ids();
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

    /**
     * Those of these config files that hold a secret of any backend (a password in a connection
     * string), in the order given, each once.
     */
    public static List<java.nio.file.Path> filesWithSecrets(List<java.nio.file.Path> configFiles) {
        java.util.LinkedHashSet<java.nio.file.Path> out = new java.util.LinkedHashSet<>();
        for (StoreProvider p : providers()) {
            StoreSecrets sec = secretsOf(p);
            if (sec != null) {
                out.addAll(sec.filesWithSecret(configFiles));
            }
        }
        List<java.nio.file.Path> ordered = new ArrayList<>();
        for (java.nio.file.Path f : configFiles) {
            if (out.contains(f)) {
                ordered.add(f);
            }
        }
        for (java.nio.file.Path f : out) {
            if (!ordered.contains(f)) {
                ordered.add(f);
            }
        }
        return ordered;
    }

    /** True when {@code id} is a backend whose store is a file (its provider names one); false for a server or an unknown id. */
    public static boolean isFileBackend(String id) {
        for (StoreProvider p : providers()) {
            try {
                if (p.id().equals(id)) {
                    return p.storeFileName() != null;
                }
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }
        return false;
    }

    /** The secrets of the backend that keeps one in this config key, or null when none does. */
    public static StoreSecrets secretsIn(String configKey) {
        for (StoreProvider p : providers()) {
            StoreSecrets sec = secretsOf(p);
            if (sec != null && configKey.equals(sec.configKey())) {
                return sec;
            }
        }
        return null;
    }

    private static StoreSecrets secretsOf(StoreProvider p) {
        try {
            return p.secrets();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    public static StoreProvider provider(Settings s) {
        return provider(s.backend());
    }

    public static SessionStore open(Settings s, boolean create) {
        return provider(s).open(s, create);
    }
}
