package dev.minsky.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.Processes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The packaged artifacts of `mvn package` (dist/build-dist.sh), for the *IT classes. */
public final class Dist {
    /** The machine is busy (2 cores, several builds): budgets are generous, never small sleeps. */
    public static final Duration BUDGET = Duration.ofMinutes(3);

    private Dist() {}

    public static Path artifact(String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("target").toAbsolutePath(), glob)) {
            ds.forEach(found::add);
        }
        assertEquals(1, found.size(), "expected one target/" + glob + " (made by mvn package), found " + found);
        return found.get(0);
    }

    /** Runs {@code cmd} with exactly {@code env} as its environment (nothing inherited). */
    public static Processes.Output run(Path dir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return Processes.run(pb, BUDGET);
    }

    public static Processes.Output runOk(Path dir, Map<String, String> env, String... cmd) throws Exception {
        Processes.Output r = run(dir, env, cmd);
        assertEquals(0, r.code(), String.join(" ", cmd) + " -> " + r);
        return r;
    }

    /** The tarball unpacked under {@code parent}/opt: its install directory and the PATH it is run with. */
    public record Unpacked(Path install, Path tools) {}

    /**
     * Unpacks target/minsky-*-linux-x64.tar.gz under {@code parent}/opt, checks that it holds an
     * executable bin/minsky, and makes the tools directory (sh, dirname, readlink: all bin/minsky
     * needs) that serves as the whole PATH, so no java or mvn is found.
     */
    public static Unpacked unpackTarball(Path parent) throws Exception {
        Path tarball = artifact("minsky-*-linux-x64.tar.gz");
        Path into = Files.createDirectories(parent.resolve("opt"));
        runOk(parent, Map.of("PATH", "/usr/bin:/bin"), "tar", "-xzf", tarball.toString(), "-C", into.toString());
        Path install = into.resolve(tarball.getFileName().toString().replace("-linux-x64.tar.gz", ""));
        assertTrue(Files.isExecutable(install.resolve("bin/minsky")), "no bin/minsky in " + install);
        return new Unpacked(install, toolsDir(parent, "sh", "dirname", "readlink"));
    }

    /** The whole environment of an unpacked minsky run (a new map, to add to): HOME, PATH of only {@code tools}, a UTF-8 locale. */
    public static Map<String, String> env(Path home, Path tools) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("PATH", tools.toString());
        env.put("LANG", "C.UTF-8");
        return env;
    }

    /** A directory of symlinks to only the given tools, to serve as the whole PATH. */
    public static Path toolsDir(Path parent, String... tools) throws Exception {
        Path dir = Files.createDirectories(parent.resolve("tools"));
        for (String t : tools) {
            Path real = null;
            for (String d : new String[] {"/usr/bin", "/bin"}) {
                if (Files.isExecutable(Path.of(d, t))) {
                    real = Path.of(d, t);
                    break;
                }
            }
            assertTrue(real != null, "no " + t + " in /usr/bin or /bin");
            Files.createSymbolicLink(dir.resolve(t), real);
        }
        return dir;
    }
}
