package dev.minsky.doctor.fix;

import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Prints how long {@code doctor --fix --yes} and {@code doctor --undo} take, in-process, on broken
 * states of a given size: figures for people, no assertion. Args: [sessions, default 2000].
 * Run: bench/fix-bench.sh [sessions]
 */
public final class FixTiming {
    private FixTiming() {}

    private static void time(String label, Path home, int expected) {
        Cli cli = new Cli(home);
        long t0 = System.nanoTime();
        Cli.Result fix = cli.run("doctor", "--fix", "--yes", "--json");
        long fixMs = (System.nanoTime() - t0) / 1_000_000;
        int after = FixTesting.records(home).size();
        long t1 = System.nanoTime();
        Cli.Result undo = cli.run("doctor", "--undo");
        long undoMs = (System.nanoTime() - t1) / 1_000_000;
        System.out.printf("%-34s fix %6d ms (exit %d, %d of %d sessions after)   undo %5d ms (exit %d)%n", label, fixMs, fix.code(),
                after, expected, undoMs, undo.code());
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path root = Files.createTempDirectory("minsky-fix-timing-");
        // warm-up: class loading and the rule base build, once, so the figures below are the fix itself
        BrokenStates.truncatedJson(root.resolve("warm"), 5);
        new Cli(root.resolve("warm")).run("doctor", "--fix", "--yes", "--json");

        BrokenStates.truncatedJson(root.resolve("json"), n);
        time("truncated JSON, " + n + " sessions", root.resolve("json"), n);

        BrokenStates.staleWal(root.resolve("wal"), n);
        time("stale WAL, " + n + " sessions in the -wal", root.resolve("wal"), n + 3);

        BrokenStates.Built b = BrokenStates.healthySqlite(root.resolve("corrupt"), n);
        try (RandomAccessFile f = new RandomAccessFile(b.store().toFile(), "rw")) {
            byte[] garbage = new byte[4096];
            new Random(3).nextBytes(garbage);
            f.seek((f.length() / 4096 / 2) * 4096);
            f.write(garbage);
        }
        time("corrupt SQLite page, " + n + " sessions", root.resolve("corrupt"), n);
        new ProcessBuilder("rm", "-rf", root.toString()).start().waitFor();
    }
}
