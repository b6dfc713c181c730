package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.model.SessionJson;
import dev.minsky.testutil.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./minsky} launcher on a copy of the project without {@code target/}: it builds the
 * jar, makes a class-data archive from that very jar (one the JVM accepts with
 * {@code -Xshare:on}, which refuses a mismatched archive), runs the command, and remakes the
 * archive when the jar is newer than it.
 */
class LauncherTest {
    @TempDir
    Path dir;

    private static Processes.Output run(Path cwd, Path home, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("XDG_CONFIG_HOME");
        pb.environment().remove("XDG_STATE_HOME");
        return Processes.run(pb, Duration.ofSeconds(300));
    }

    @Test
    void builds_the_jar_and_an_archive_that_matches_it_then_runs_the_command() throws Exception {
        Path project = dir.resolve("project");
        Files.createDirectories(project);
        Path here = Path.of("").toAbsolutePath();
        List<String> cp = new ArrayList<>(List.of("cp", "-a"));
        for (String f : List.of("pom.xml", "minsky", "rules", "knowledge-base", "templates", "minsky-plugin-api")) {
            cp.add(here.resolve(f).toString());
        }
        cp.add(project.toString());
        assertEquals(0, new ProcessBuilder(cp).inheritIO().start().waitFor());
        Files.createDirectories(project.resolve("src"));
        assertEquals(0, new ProcessBuilder("cp", "-a", here.resolve("src/main").toString(), project.resolve("src").toString())
                .inheritIO().start().waitFor());
        Path home = dir.resolve("home");
        Files.createDirectories(home);

        Processes.Output first = run(project, home, "./minsky", "--version");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().startsWith("minsky "), first.out());
        assertTrue(first.err().contains("building"), first.err());
        Path jar = project.resolve("target/minsky.jar");
        Path jsa = project.resolve("target/minsky.jsa");
        assertTrue(Files.isRegularFile(jar) && Files.isRegularFile(jsa), "jar and archive made");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Processes.Output shared = run(project, home, java, "-Xshare:on", "-XX:SharedArchiveFile=" + jsa, "-jar", jar.toString(), "--version");
        assertEquals(0, shared.code(), "the JVM accepts the archive for this jar: " + shared.err());
        // the smaller archive of every command but doctor and kb (no Drools), accepted too, and chosen by the launcher
        Path jsaCli = project.resolve("target/minsky-cli.jsa");
        assertTrue(Files.isRegularFile(jsaCli) && Files.size(jsaCli) < Files.size(jsa), "a smaller archive for the other commands");
        Processes.Output sharedCli = run(project, home, java, "-Xshare:on", "-XX:SharedArchiveFile=" + jsaCli, "-jar", jar.toString(), "session", "list");
        assertEquals(0, sharedCli.code(), "the JVM accepts the commands' archive: " + sharedCli.err());
        assertTrue(mapped(project, home, "--log-level", "info", "session", "list").endsWith("target/minsky-cli.jsa"));
        assertTrue(mapped(project, home, "--backend", "sqlite", "doctor", "--help").endsWith("target/minsky.jsa"));

        // the training run also archived the PostgreSQL driver, which a SQLite doctor never loads
        Processes.Output pg = run(project, home, "env", "MINSKY_SESSIONDB_BACKEND=postgres",
                "MINSKY_POSTGRES_URL=postgresql://u:p@127.0.0.1:1/none", java, "-Xshare:on", "-XX:SharedArchiveFile=" + jsa,
                "-Xlog:class+load=info", "-jar", jar.toString(), "session", "list");
        assertTrue(pg.out().contains("org.postgresql.core.v3.ConnectionFactoryImpl source: shared objects file"),
                "the driver's connection classes come from the archive: " + pg.out().lines().filter(l -> l.contains("ConnectionFactoryImpl")).toList());
        // picocli is compiled from its sources with minsky (its jar's Java 5 bytecode cannot be archived)
        List<String> picocliFromJar = pg.out().lines().filter(l -> l.contains(" picocli.") && !l.contains("source: shared objects file")).toList();
        assertTrue(pg.out().contains("picocli.CommandLine source: shared objects file") && picocliFromJar.isEmpty(),
                "picocli's classes come from the archive, none from the jar: " + picocliFromJar);

        Processes.Output again = run(project, home, "./minsky", "--version");
        assertEquals(0, again.code(), again.err());
        assertFalse(again.err().contains("building") || again.err().contains("archive"), "nothing to do the second time: " + again.err());

        // through a symlink on the user's PATH, from another directory
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("minsky"), project.resolve("minsky"));
        Processes.Output linked = run(home, home, bin.resolve("minsky").toString(), "--version");
        assertEquals(0, linked.code(), linked.err());
        assertTrue(linked.out().startsWith("minsky "), linked.out());
        assertFalse(linked.err().contains("building"), "the symlink finds the built jar: " + linked.err());

        // a jar newer than its archive (built by 'mvn package' directly): the archive is made anew
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
        Files.setLastModifiedTime(jsa, FileTime.from(Instant.now().minusSeconds(3600)));
        Processes.Output retrain = run(project, home, "./minsky", "doctor", "--json");
        assertTrue(retrain.err().contains("class-data archive"), retrain.err());
        assertTrue(retrain.code() == 0 || retrain.code() == 1, retrain.err());
        SessionJson.mapper().readTree(retrain.out()); // the doctor's JSON, nothing else on stdout
        assertFalse(Files.getLastModifiedTime(jar).compareTo(Files.getLastModifiedTime(jsa)) > 0, "the archive is as new as the jar");
        Processes.Output sharedAgain = run(project, home, java, "-Xshare:on", "-XX:SharedArchiveFile=" + jsa, "-jar", jar.toString(), "--version");
        assertEquals(0, sharedAgain.code(), sharedAgain.err());
    }

    /** The app archive that {@code ./minsky args} has the JVM map (-Xshare:on: refused when it does not match). */
    private static String mapped(Path project, Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("env", "MINSKY_JAVA_OPTS=-Xshare:on -Xlog:cds=info:stderr", "./minsky"));
        cmd.addAll(List.of(args));
        Processes.Output o = run(project, home, cmd.toArray(String[]::new));
        assertEquals(0, o.code(), o.err());
        List<String> maps = o.err().lines().filter(l -> l.contains("trying to map") && !l.contains("classes.jsa")).toList();
        assertEquals(1, maps.size(), o.err());
        return maps.get(0).trim();
    }
}
