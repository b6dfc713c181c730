package dev.minsky.plugin;

import dev.minsky.MinskyPaths;
import dev.minsky.plugin.api.PluginApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * Plugin jars in {@code ~/.config/minsky/plugins/*.jar}, and the one way every extension point is
 * found: {@link #load} returns the built-in implementations (the CLI jar's own
 * {@code META-INF/services} files, read with {@link ServiceLoader}) followed by those each plugin
 * jar lists in its service files. Built-ins and plugins go through the same interfaces and the
 * same kind of service file.
 *
 * <p>Each jar gets its own class loader (parent: minsky's), so that a broken jar is named by its
 * file name: one built for another {@link PluginApi#VERSION} (manifest attribute
 * {@value PluginApi#MANIFEST_ATTRIBUTE}), one that cannot be read, or one whose class is missing
 * or fails to load ({@code NoClassDefFoundError}, {@code ServiceConfigurationError}) is reported as
 * a {@link Problem} and skipped; nothing a plugin does stops the built-ins.
 */
public final class Plugins {
    private Plugins() {}

    /** One plugin jar: its loader, or why it is skipped. */
    public record Jar(Path path, ClassLoader loader, String problem) {
        public String name() {
            return path.getFileName().toString();
        }
    }

    /** Something wrong with a plugin jar, for the report: which jar, and what. */
    public record Problem(String jar, String message) {
        @Override
        public String toString() {
            return "plugin " + jar + ": " + message;
        }
    }

    /** An implementation and where it came from: {@code jar} is null for a built-in one. */
    public record Loaded<S>(S service, String jar) {}

    /** What {@link #load} found. */
    public record Found<S>(List<Loaded<S>> services, List<Problem> problems) {
        public List<S> all() {
            return services.stream().map(Loaded::service).toList();
        }

        /** The jar an implementation came from, null when built in (or not found here). */
        public String jarOf(Object service) {
            for (Loaded<S> l : services) {
                if (l.service() == service) {
                    return l.jar();
                }
            }
            return null;
        }
    }

    private record Key(Path dir, List<String> stamp) {}

    private static final Map<Key, List<Jar>> JARS = new ConcurrentHashMap<>();
    private static volatile MinskyPaths current;
    private static final java.util.concurrent.atomic.AtomicLong GENERATION = new java.util.concurrent.atomic.AtomicLong();

    public static Path dir(MinskyPaths paths) {
        return paths.configDir().resolve("plugins");
    }

    /**
     * Says whose plugins folder the code without an {@link dev.minsky.AppContext} at hand (the store
     * registry, config validation) looks at: the one of the config loaded last in this process.
     */
    public static void use(MinskyPaths paths) {
        current = paths;
        GENERATION.incrementAndGet();
    }

    /**
     * Changes each time {@link #use} is called (a run loading its config): registries built from
     * {@link #load} (the store providers) are cached for one value and rebuilt when it changes, so a
     * plugin jar installed between two runs of one process is seen by the second.
     */
    public static long generation() {
        return GENERATION.get();
    }

    /** The paths given to {@link #use}, else those of this process's environment. */
    public static MinskyPaths current() {
        MinskyPaths p = current;
        return p != null ? p : MinskyPaths.from(System.getenv());
    }

    /** The plugin jars, sorted by name, each with its loader or the reason it is skipped. */
    public static List<Jar> jars(MinskyPaths paths) {
        Path dir = dir(paths);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        List<String> stamp = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
            for (Path f : files) {
                stamp.add(f.getFileName() + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis());
            }
        } catch (IOException e) {
            return List.of();
        }
        if (files.isEmpty()) {
            return List.of();
        }
        return JARS.computeIfAbsent(new Key(dir, List.copyOf(stamp)), k -> open(files));
    }

    private static List<Jar> open(List<Path> files) {
        List<Jar> out = new ArrayList<>();
        ClassLoader parent = Plugins.class.getClassLoader();
        for (Path f : files) {
            String problem = versionProblem(f);
            ClassLoader loader = null;
            if (problem == null) {
                try {
                    loader = new URLClassLoader(new URL[] {f.toUri().toURL()}, parent);
                } catch (MalformedURLException e) {
                    problem = "cannot be opened: " + e.getMessage();
                }
            }
            out.add(new Jar(f, loader, problem));
        }
        return List.copyOf(out);
    }

    /** Null when the jar says it was built for this API version, else why it is skipped. */
    static String versionProblem(Path jar) {
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest m = jf.getManifest();
            String v = m == null ? null : m.getMainAttributes().getValue(new Attributes.Name(PluginApi.MANIFEST_ATTRIBUTE));
            if (v == null || v.isBlank()) {
                return "skipped: its manifest has no " + PluginApi.MANIFEST_ATTRIBUTE + " attribute (the plugin API version it was"
                        + " built for; this minsky implements version " + PluginApi.VERSION + ")";
            }
            if (!v.strip().equals(Integer.toString(PluginApi.VERSION))) {
                return "skipped: built for plugin API version " + v.strip() + ", this minsky implements version " + PluginApi.VERSION
                        + " (rebuild the plugin against minsky-plugin-api " + PluginApi.VERSION + ")";
            }
            return null;
        } catch (IOException e) {
            return "skipped: not a readable jar (" + e.getMessage() + ")";
        }
    }

    /** The problems of the jars themselves (skipped jars), whatever service is asked for. */
    public static List<Problem> jarProblems(MinskyPaths paths) {
        return jars(paths).stream().filter(j -> j.problem() != null).map(j -> new Problem(j.name(), j.problem())).toList();
    }

    /** {@link #load(Class, MinskyPaths)} with {@link #current()}'s plugins folder. */
    public static <S> Found<S> load(Class<S> type) {
        return load(type, current());
    }

    /**
     * The built-in implementations of {@code type}, then each usable plugin jar's, in jar name
     * order. Never throws for a plugin's fault: each failure is a {@link Problem} naming the jar.
     * Jars skipped for their version or unreadable are among the problems too.
     */
    public static <S> Found<S> load(Class<S> type, MinskyPaths paths) {
        return load(type, paths, true);
    }

    /**
     * Every problem of the plugin jars: skipped jars, and each probe, action or backend of a usable
     * jar that cannot be loaded (plugins' implementations only are made; built-ins are not).
     * Empty, and free, when there is no plugin jar.
     */
    public static List<Problem> problems(MinskyPaths paths, List<Class<?>> types) {
        if (jars(paths).isEmpty()) {
            return List.of();
        }
        java.util.LinkedHashSet<Problem> all = new java.util.LinkedHashSet<>();
        for (Class<?> t : types) {
            all.addAll(load(t, paths, false).problems());
        }
        return List.copyOf(all);
    }

    private static <S> Found<S> load(Class<S> type, MinskyPaths paths, boolean builtIns) {
        List<Loaded<S>> out = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Iterator<S> it = builtIns ? ServiceLoader.load(type, Plugins.class.getClassLoader()).iterator()
                : java.util.Collections.emptyIterator();
        for (int errors = 0; errors < 50; ) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                out.add(new Loaded<>(it.next(), null));
            } catch (ServiceConfigurationError | LinkageError e) {
                errors++;
                problems.add(new Problem("(built in)", describe(e)));
            }
        }
        String resource = "META-INF/services/" + type.getName();
        for (Jar jar : jars(paths)) {
            if (jar.problem() != null) {
                problems.add(new Problem(jar.name(), jar.problem()));
                continue;
            }
            for (String name : serviceNames(jar, resource, problems)) {
                try {
                    Class<?> c = Class.forName(name, true, jar.loader());
                    if (!type.isAssignableFrom(c)) {
                        problems.add(new Problem(jar.name(), name + " is listed in " + resource + " but is not a " + type.getSimpleName()));
                        continue;
                    }
                    out.add(new Loaded<>(type.cast(c.getConstructor().newInstance()), jar.name()));
                } catch (java.lang.reflect.InvocationTargetException e) {
                    problems.add(new Problem(jar.name(), "cannot load " + name + ": its constructor threw " + describe(e.getCause())));
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    problems.add(new Problem(jar.name(), "cannot load " + name + ": " + describe(e)));
                }
            }
        }
        return new Found<>(List.copyOf(out), List.copyOf(problems));
    }

    /** The class names a jar's own service file lists (not its parent's). */
    private static List<String> serviceNames(Jar jar, String resource, List<Problem> problems) {
        List<String> names = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.path().toFile())) {
            ZipEntry e = jf.getEntry(resource);
            if (e == null) {
                return names;
            }
            try (InputStream in = jf.getInputStream(e);
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    int hash = line.indexOf('#');
                    String n = (hash >= 0 ? line.substring(0, hash) : line).strip();
                    if (!n.isEmpty() && !names.contains(n)) {
                        names.add(n);
                    }
                }
            }
        } catch (IOException ex) {
            problems.add(new Problem(jar.name(), "cannot read " + resource + ": " + ex.getMessage()));
        }
        return names;
    }

    /** One line for a failure: its type and message, without a stack trace. */
    public static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /**
     * A class loader that sees every usable plugin jar (after minsky's own classes). Kept for
     * callers that read plugin resources (playbooks); services go through {@link #load}.
     */
    public static ClassLoader classLoader(MinskyPaths paths) {
        ClassLoader parent = Plugins.class.getClassLoader();
        List<URL> urls = new ArrayList<>();
        for (Jar j : jars(paths)) {
            if (j.problem() == null) {
                try {
                    urls.add(j.path().toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return urls.isEmpty() ? parent : new URLClassLoader(urls.toArray(URL[]::new), parent);
    }
}
