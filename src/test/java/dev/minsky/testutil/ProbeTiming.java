package dev.minsky.testutil;

import dev.minsky.AppContext;
import dev.minsky.config.ConfigService;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.ProbeRun;
import dev.minsky.doctor.probe.ProbeRunner;
import dev.minsky.log.MinskyLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints how long all probes take on a healthy SQLite store, in-process: the first run in a fresh
 * JVM (what {@code minsky doctor} pays) and warm runs, with each probe's time.
 * Args: [sessions, default 200] [warm runs, default 20].
 */
public final class ProbeTiming {
    private ProbeTiming() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warm = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long jvm0 = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        Path home = Files.createTempDirectory("minsky-probe-timing-");
        BrokenStates.healthySqlite(home, n);
        AppContext ctx = new AppContext(Map.of("HOME", home.toString()), home, System.out, System.err, System.in, false,
                Clock.systemUTC());
        ConfigService config = ConfigService.load(ctx);
        DoctorEnv env = new DoctorEnv(ctx, config, config.settingsLenient(), MinskyLog.forContext(ctx));
        long t0 = System.nanoTime();
        ProbeRunner.Results first = ProbeRunner.run(env, Duration.ofSeconds(10));
        long firstMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("healthy SQLite store, %d sessions; JVM start + building the store: %d ms%n", n,
                System.currentTimeMillis() - jvm0 - firstMs);
        System.out.printf("first run (cold JVM): %d ms, %d facts%n", firstMs, first.facts().size());
        for (ProbeRun r : first.runs()) {
            System.out.printf("  %-18s %-8s %4d ms%n", r.id(), r.status(), r.millis());
        }
        List<Long> times = new ArrayList<>();
        ProbeRunner.Results last = first;
        for (int i = 0; i < warm; i++) {
            long s = System.nanoTime();
            last = ProbeRunner.run(env, Duration.ofSeconds(10));
            times.add((System.nanoTime() - s) / 1000);
        }
        times.sort(null);
        if (!times.isEmpty()) {
            System.out.printf("warm runs: median %.1f ms, min %.1f ms, max %.1f ms (%d runs)%n", times.get(times.size() / 2) / 1000.0,
                    times.get(0) / 1000.0, times.get(times.size() - 1) / 1000.0, times.size());
            for (ProbeRun r : last.runs()) {
                System.out.printf("  %-18s %4d ms%n", r.id(), r.millis());
            }
        }
        last.facts().stream().filter(f -> f.id().startsWith("perf.")).forEach(f -> System.out.println("  " + f.id() + " = " + f.value()));
    }
}
