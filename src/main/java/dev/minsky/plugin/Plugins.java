package dev.minsky.plugin;

import dev.minsky.MinskyPaths;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Plugin jars in {@code ~/.config/minsky/plugins/*.jar}: probes, remediation actions and
 * backends found with {@link java.util.ServiceLoader} through this class loader.
 */
public final class Plugins {
    private Plugins() {}

    public static Path dir(MinskyPaths paths) {
        return paths.configDir().resolve("plugins");
    }

    public static ClassLoader classLoader(MinskyPaths paths) {
        ClassLoader parent = Plugins.class.getClassLoader();
        Path dir = dir(paths);
        if (!Files.isDirectory(dir)) {
            return parent;
        }
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                urls.add(p.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            return parent;
        }
        return urls.isEmpty() ? parent : new URLClassLoader(urls.toArray(URL[]::new), parent);
    }
}
