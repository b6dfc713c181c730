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
    private record Cached(MinskyPaths paths, long generation, List<StoreProvider> providers, List<String> ids,
                          String defaultId, List<String> areas) {}

    private static final AtomicReference<Cached> CACHE = new AtomicReference<>();

    private static Cached cached() {
        long gen = Plugins.generation();
        MinskyPaths paths = Plugins.current();
        Cached c = CACHE.get();
        if (c != null && c.generation() == gen && c.paths().equals(paths)) {
            return c;
        }
        List<StoreProvider> ps = lookUp(paths);
        Cached fresh = new Cached(paths, gen, ps, ps.stream().map(StoreProvider::id).toList(), defaultOf(ps), areasOf(ps));
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

    /**
     * The built-in backends only (the CLI jar's own service file), looked up once per process: what
     * the core's static tables (the action ids a playbook may name) are built from before any plugins
     * folder is known.
     */
    public static List<StoreProvider> builtIns() {
        return BuiltIn.ALL;
    }

    private static final class BuiltIn {
        static final List<StoreProvider> ALL = load();

        private static List<StoreProvider> load() {
            List<StoreProvider> out = new ArrayList<>();
            java.util.Iterator<StoreProvider> it = java.util.ServiceLoader.load(StoreProvider.class, Stores.class.getClassLoader()).iterator();
            while (true) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    out.add(it.next());
                } catch (java.util.ServiceConfigurationError | LinkageError e) {
                    break; // reported by Plugins.load, which every run goes through
                }
            }
            return List.copyOf(out);
        }
    }

    /**
     * The backend used when {@code sessiondb.backend} is not set: the first provider (built-in ones
     * first) whose {@link StoreProvider#isDefault()} says so, else the first one. Cached per run.
     */
    public static String defaultId() {
        Cached c = cached();
        if (c.defaultId() != null) {
            return c.defaultId();
        }
        throw new IllegalStateException("no store backend is loaded (the CLI jar's META-INF/services is missing)");
    }

    private static String defaultOf(List<StoreProvider> ps) {
        for (StoreProvider p : ps) {
            try {
                if (p.isDefault()) {
                    return p.id();
                }
            } catch (RuntimeException | LinkageError e) {
                // a plugin that cannot answer is not the default
            }
        }
        return ps.isEmpty() ? null : ps.get(0).id();
    }

    /** The report areas of every backend ({@link StoreProvider#area()}), in provider order. Cached per run. */
    public static List<String> areas() {
        return cached().areas();
    }

    private static List<String> areasOf(List<StoreProvider> ps) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (StoreProvider p : ps) {
            try {
                String a = p.area();
                if (a != null) {
                    out.add(a);
                }
            } catch (RuntimeException | LinkageError e) {
                // a plugin that cannot answer has no area of its own: its facts go under "store"
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
