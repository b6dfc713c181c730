package dev.minsky.plugin;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minsky.plugin.api.PluginApi;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds plugins the way an outside author does, without this project's classpath: the API module
 * from minsky-plugin-api/src/main/java (against its one dependency, Jackson), then a plugin's
 * sources against that API alone, packed into a jar with the API version in its manifest. Offline
 * and in-process (javax.tools), a few seconds.
 */
final class ExamplePlugin {
    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final Path EXAMPLE = PROJECT.resolve("examples/plugin-example");

    private static Path api;
    private static Path example;

    private ExamplePlugin() {}

    /** The API's compiled classes plus its dependency jars: everything a plugin compiles against. */
    static synchronized List<Path> apiClasspath() throws IOException {
        if (api == null) {
            Path out = Files.createTempDirectory("minsky-plugin-api");
            compile(PROJECT.resolve("minsky-plugin-api/src/main/java"), jackson(), out);
            api = out;
        }
        List<Path> cp = new ArrayList<>(List.of(api));
        cp.addAll(jackson());
        return cp;
    }

    /** examples/plugin-example built into a jar from its own sources, once per test JVM. */
    static synchronized Path exampleJar() throws IOException {
        if (example == null) {
            Path work = Files.createTempDirectory("acme-plugin");
            example = build(EXAMPLE.resolve("src/main/java"), EXAMPLE.resolve("src/main/resources"), work, "acme-plugin.jar",
                    Integer.toString(PluginApi.VERSION), List.of());
        }
        return example;
    }

    /**
     * Builds a plugin jar from sources and resources, with {@code apiVersion} in its manifest (null:
     * none); the classes in {@code leaveOut} are compiled but not packed (a missing class).
     */
    static Path build(Path sources, Path resources, Path work, String jarName, String apiVersion, List<String> leaveOut)
            throws IOException {
        Path classes = Files.createDirectories(work.resolve("classes"));
        compile(sources, apiClasspath(), classes);
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (apiVersion != null) {
            m.getMainAttributes().putValue(PluginApi.MANIFEST_ATTRIBUTE, apiVersion);
        }
        Path jar = work.resolve(jarName);
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, m)) {
            for (Path root : resources == null ? List.of(classes) : List.of(classes, resources)) {
                try (Stream<Path> s = Files.walk(root)) {
                    for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                        String name = root.relativize(f).toString().replace('\\', '/');
                        if (leaveOut.stream().anyMatch(c -> name.equals(c.replace('.', '/') + ".class"))) {
                            continue;
                        }
                        j.putNextEntry(new JarEntry(name));
                        j.write(Files.readAllBytes(f));
                        j.closeEntry();
                    }
                }
            }
        }
        return jar;
    }

    /** Writes sources ({@code class name -> text}) and service files into {@code work}. */
    static Path sources(Path work, Map<String, String> classes) throws IOException {
        Path src = work.resolve("src");
        for (Map.Entry<String, String> e : classes.entrySet()) {
            Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
        }
        return src;
    }

    static Path services(Path work, Map<Class<?>, String> services) throws IOException {
        Path res = work.resolve("res");
        for (Map.Entry<Class<?>, String> e : services.entrySet()) {
            Path f = res.resolve("META-INF/services/" + e.getKey().getName());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue() + "\n");
        }
        return res;
    }

    private static void compile(Path sourceRoot, List<Path> classpath, Path out) throws IOException {
        List<String> files;
        try (Stream<Path> s = Files.walk(sourceRoot)) {
            files = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-nowarn", "-d", out.toString(),
                "-classpath", String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList())));
        args.addAll(files);
        StringWriter err = new StringWriter();
        int rc = javac.run(null, null, new java.io.PrintStream(new java.io.ByteArrayOutputStream()) {
            @Override
            public void write(byte[] b, int off, int len) {
                err.write(new String(b, off, len));
            }
        }, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("javac failed for " + sourceRoot + ":\n" + err);
        }
    }

    /** The Jackson jars the API declares (jackson-databind and its two dependencies). */
    private static List<Path> jackson() {
        List<Path> out = new ArrayList<>();
        for (Class<?> c : List.of(ObjectMapper.class, JsonFactory.class, JsonIgnore.class)) {
            try {
                out.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** Removes a directory tree (the temporary homes of the tests). */
    static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
