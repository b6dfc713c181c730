package dev.minsky;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What a command needs from the outside world, passed down instead of read from globals, so that
 * tests can run the CLI in-process with their own home directory and environment.
 *
 * @param env the process environment (HOME, XDG_*, MINSKY_*)
 * @param cwd the working directory (for project config and relative paths)
 * @param out standard output
 * @param err standard error
 * @param in standard input
 * @param interactive true when standard input and output are a terminal (prompts, colour)
 * @param clock the clock for timestamps
 */
public record AppContext(Map<String, String> env, Path cwd, PrintStream out, PrintStream err,
                         InputStream in, boolean interactive, Clock clock) {

    public MinskyPaths paths() {
        return MinskyPaths.from(env);
    }

    public String env(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public static AppContext system() {
        return new AppContext(System.getenv(), Path.of("").toAbsolutePath(),
                StdoutClosed.stdout(java.nio.charset.Charset.defaultCharset()), System.err,
                System.in, System.console() != null, Clock.systemUTC());
    }
}
