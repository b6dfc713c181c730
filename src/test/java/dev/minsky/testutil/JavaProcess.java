package dev.minsky.testutil;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a class of the test classpath in a separate JVM: the real processes that tests need (a
 * second writer, a lock holder, a writer to kill with SIGKILL).
 */
public final class JavaProcess {
    private JavaProcess() {}

    public static ProcessBuilder builder(Class<?> main, Map<String, String> env, String... args) {
        return builder(List.of(), main, env, args);
    }

    /** {@link #builder(Class, Map, String...)} with these JVM options too (e.g. {@code -Xlog:class+load}). */
    public static ProcessBuilder builder(List<String> jvmOptions, Class<?> main, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xshare:auto");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs {@code minsky args} in its own JVM with this environment. */
    public static ProcessBuilder minsky(Map<String, String> env, String... args) {
        return builder(dev.minsky.Main.class, env, args);
    }

    public static Process start(ProcessBuilder pb) {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
