package dev.minsky.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.dist.Dist;
import dev.minsky.model.SessionJson;
import dev.minsky.plugin.api.PluginApi;
import dev.minsky.testutil.DoctorReports;
import dev.minsky.testutil.Processes;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/plugin-example built the way an outside author builds it: real Maven, `mvn install` of
 * minsky-plugin-api/ then `mvn package` of the example, in copies outside this project, with a
 * throwaway local repository (the real one is only read, as a file:// repository, so the build works
 * offline once minsky itself was built; Maven Central stays the fallback). The jar is then checked
 * (API version in the manifest, none of the API's classes inside) and used by the packaged CLI of
 * the tarball, as InstallTarballIT runs it, with the ids of PluginExampleEndToEndTest.
 */
class ExamplePluginMavenBuildIT {
    @TempDir static Path tmp;
    static Path jar;
    static Path install;
    static Path tools;

    @BeforeAll
    static void build_the_example_with_maven() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("author"));
        Path api = copyTree(ExamplePlugin.PROJECT.resolve("minsky-plugin-api"), work.resolve("minsky-plugin-api"));
        Path example = copyTree(ExamplePlugin.EXAMPLE, work.resolve("examples/plugin-example"));
        Path repo = Files.createDirectories(tmp.resolve("m2-repository"));
        Path settings = settings(tmp.resolve("settings.xml"));

        mvn(api, repo, settings, "install");
        assertTrue(Files.isRegularFile(repo.resolve("dev/minsky/minsky-plugin-api/1.0.0/minsky-plugin-api-1.0.0.jar")),
                "mvn install put the API into the temporary repository");
        mvn(example, repo, settings, "package");
        jar = example.resolve("target/acme-plugin.jar");
        assertTrue(Files.isRegularFile(jar), "mvn package made no " + jar);

        Dist.Unpacked u = Dist.unpackTarball(tmp);
        install = u.install();
        tools = u.tools();
    }

    /** The user's local repository as the outer build saw it (failsafe passes it), else ~/.m2/repository. */
    private static Path userRepository() {
        String outer = System.getProperty("minsky.it.localRepository");
        return outer != null && !outer.isBlank() ? Path.of(outer)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /**
     * Settings whose active profile reads the user's local repository first, as a remote one (no
     * checksums there: the files were checked when they were downloaded into it).
     */
    private static Path settings(Path file) throws IOException {
        String url = userRepository().toUri().toString();
        String repo = """
                        <id>user-local</id>
                        <url>%s</url>
                        <releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>
                        <snapshots><enabled>false</enabled></snapshots>
                """.formatted(url);
        Files.writeString(file, """
                <settings>
                  <profiles>
                    <profile>
                      <id>user-local-first</id>
                      <repositories><repository>
                %s      </repository></repositories>
                      <pluginRepositories><pluginRepository>
                %s      </pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>user-local-first</activeProfile></activeProfiles>
                </settings>
                """.formatted(repo, repo));
        return file;
    }

    /** maven.home (set for tests run by Maven), then MAVEN_HOME, then mvn on the PATH. */
    private static String mvnExecutable() {
        for (String home : new String[] {System.getProperty("maven.home"), System.getenv("MAVEN_HOME")}) {
            if (home != null && !home.isBlank() && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
                return Path.of(home, "bin", "mvn").toString();
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "mvn"))) {
                return Path.of(dir, "mvn").toString();
            }
        }
        throw new AssertionError("no mvn: neither -Dmaven.home, MAVEN_HOME nor mvn on the PATH");
    }

    private static void mvn(Path project, Path repo, Path settings, String phase) throws Exception {
        List<String> cmd = List.of(mvnExecutable(), "-B", "-q", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repo, phase);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // a short build: the JIT's first tier is enough, and one core is all the machine spares
        pb.environment().put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        pb.environment().remove("MAVEN_ARGS");
        Processes.Output r = Processes.run(pb, Dist.BUDGET);
        assertEquals(0, r.code(), "`" + String.join(" ", cmd) + "` in " + project + " failed:\n" + r.out() + r.err());
    }

    /** Copies a source tree, leaving out a target/ left there by an earlier build. */
    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.filter(p -> !from.relativize(p).startsWith("target")).toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    @Test
    void the_jar_holds_the_plugins_own_classes_and_files_and_names_the_api_version() throws Exception {
        Path sources = ExamplePlugin.EXAMPLE.resolve("src/main/java");
        Path resources = ExamplePlugin.EXAMPLE.resolve("src/main/resources");
        try (JarFile j = new JarFile(jar.toFile()); Stream<Path> src = Files.walk(sources); Stream<Path> res = Files.walk(resources)) {
            assertEquals(Integer.toString(PluginApi.VERSION), j.getManifest().getMainAttributes().getValue(PluginApi.MANIFEST_ATTRIBUTE),
                    "the manifest's " + PluginApi.MANIFEST_ATTRIBUTE);
            Set<String> entries = new TreeSet<>();
            j.stream().filter(e -> !e.isDirectory()).map(JarEntry::getName).forEach(entries::add);
            for (String e : entries) {
                boolean own = e.startsWith("com/example/minsky/") && e.endsWith(".class");
                assertTrue(own || e.startsWith("META-INF/"), "an entry that is not the plugin's own: " + e + " in " + entries);
            }
            for (Path s : src.filter(p -> p.toString().endsWith(".java")).toList()) {
                String cls = sources.relativize(s).toString().replace(".java", ".class");
                assertTrue(entries.contains(cls), cls + " is in the jar: " + entries);
            }
            for (Path r : res.filter(Files::isRegularFile).toList()) {
                String name = resources.relativize(r).toString();
                JarEntry e = j.getJarEntry(name);
                assertNotNull(e, name + " is in the jar: " + entries);
                assertTrue(Arrays.equals(Files.readAllBytes(r), j.getInputStream(e).readAllBytes()), name + " as in the sources");
            }
            assertTrue(entries.contains("META-INF/services/dev.minsky.store.StoreProvider"), entries.toString());
            // the API and Jackson are provided by minsky at run time: neither may be bundled
            assertFalse(entries.stream().anyMatch(e -> e.startsWith("dev/minsky/") || e.startsWith("com/fasterxml/")), entries.toString());
        }
    }


    private static Processes.Output minsky(Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(install.resolve("bin/minsky").toString()));
        cmd.addAll(List.of(args));
        return Dist.run(home, Dist.env(home, tools), cmd.toArray(String[]::new));
    }

    private static Processes.Output ok(Path home, String... args) throws Exception {
        Processes.Output r = minsky(home, args);
        assertEquals(0, r.code(), String.join(" ", args) + " -> " + r);
        return r;
    }

    private static JsonNode json(Processes.Output o) throws Exception {
        assertTrue(o.code() == 0 || o.code() == 1, "exit " + o.code() + ": " + o);
        return SessionJson.mapper().readTree(o.out());
    }

    @Test
    void the_maven_built_jar_probes_diagnoses_passes_its_fixtures_and_stores_sessions_in_the_packaged_cli() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path plugins = Files.createDirectories(home.resolve(".config/minsky/plugins"));
        Files.copy(jar, plugins.resolve("acme-plugin.jar"));
        ok(home, "sessiondb", "init", "--backend", "sqlite");

        JsonNode doctor = json(minsky(home, "doctor", "--json"));
        JsonNode exists = DoctorReports.fact(doctor, "acme.marker.exists");
        assertNotNull(exists, "the plugin's probe ran: " + doctor.get("facts"));
        assertFalse(exists.asBoolean(true), doctor.toString());
        assertEquals("acme.marker-missing", doctor.get("findings").get(0).get("cause").asText(), doctor.get("findings").toString());

        JsonNode causes = SessionJson.mapper().readTree(ok(home, "kb", "list", "--json").out());
        JsonNode missing = null;
        for (JsonNode c : causes.get("causes")) {
            if (c.get("id").asText().equals("acme.marker-missing")) {
                missing = c;
            }
        }
        assertNotNull(missing, "kb list names the plugin's cause: " + causes);
        assertEquals("plugin:acme-plugin.jar", missing.get("origin").asText(), missing.toString());
        assertEquals(List.of(), SessionJson.mapper().convertValue(causes.get("playbookErrors"), List.class));

        Processes.Output test = ok(home, "kb", "test", "--json");
        JsonNode tests = SessionJson.mapper().readTree(test.out());
        assertEquals(0, tests.get("failed").asInt(), test.out());
        List<String> acme = new ArrayList<>();
        for (JsonNode f : tests.get("fixtures")) {
            if (f.get("playbook").asText().contains("acme-plugin.jar")) {
                assertTrue(f.get("passed").asBoolean(), f.toString());
                acme.add(f.get("name").asText());
            }
        }
        assertEquals(List.of("no marker file", "a marker file with content", "an empty marker file"), acme, test.out());

        // the plugin's backend
        ok(home, "config", "set", "sessiondb.backend", "dirstore");
        ok(home, "session", "start", "plug-1", "--task", "md#7", "--repo", "https://github.com/edobry/minsky.git");
        JsonNode list = SessionJson.mapper().readTree(ok(home, "session", "list", "--json").out());
        assertTrue(list.toString().contains("\"plug-1\"") && list.toString().contains("\"md#7\""), list.toString());
        assertTrue(Files.isRegularFile(home.resolve(".local/state/minsky/dirstore/plug-1.json")), "the record is a file of the dirstore");
        assertEquals("dirstore", json(minsky(home, "doctor", "--json")).get("backend").asText());
    }
}
