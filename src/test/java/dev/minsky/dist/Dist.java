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
