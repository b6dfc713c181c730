package dev.minsky.testutil;

import dev.minsky.AppContext;
import dev.minsky.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Runs the CLI in-process against a throwaway home directory. */
public final class Cli {
    private final Path home;
    private final Map<String, String> env = new HashMap<>();
    private Path cwd;
    private Clock clock = Clock.systemUTC();

    public Cli(Path home) {
        this.home = home;
        this.cwd = home;
        env.put("HOME", home.toString());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    public Cli env(String k, String v) {
        if (v == null) {
            env.remove(k);
        } else {
            env.put(k, v);
        }
        return this;
    }

    public Cli cwd(Path cwd) {
        this.cwd = cwd;
        return this;
    }

    public Cli clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public Path home() {
        return home;
    }

    public Path stateDir() {
        return home.resolve(".local/state/minsky");
    }

    public Map<String, String> envMap() {
        return Map.copyOf(env);
    }

    public AppContext context(PrintStream out, PrintStream err, String stdin) {
        return new AppContext(Map.copyOf(env), cwd, out, err,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false, clock);
    }

    /** The outcome of one run. */
    public record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    public Result run(String... args) {
        return runWithInput("", args);
    }

    public Result runWithInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Main.run(context(o, e, stdin), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
