package dev.minsky.testutil;

import dev.minsky.AppContext;
import dev.minsky.Main;

/**
 * Runs one minsky command N times in this JVM, each a whole CLI run (its own store, its own
 * connection), with {@code {i}} in the arguments replaced by the run's number; prints
 * {@code ok i millis} or {@code fail i code} per run. A process that stands for a client making
 * many calls, without paying a JVM start for each.
 */
public final class MinskyRepeat {
    private MinskyRepeat() {}

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int failed = 0;
        for (int i = 0; i < n; i++) {
            String[] a = new String[args.length - 1];
            for (int j = 1; j < args.length; j++) {
                a[j - 1] = args[j].replace("{i}", Integer.toString(i));
            }
            long t0 = System.nanoTime();
            int code = Main.run(AppContext.system(), a);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (code == 0) {
                System.out.println("ok " + i + " " + ms);
            } else {
                failed++;
                System.out.println("fail " + i + " " + code);
            }
        }
        System.out.flush();
        System.exit(failed == 0 ? 0 : 1);
    }
}
