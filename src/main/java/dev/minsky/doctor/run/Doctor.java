package dev.minsky.doctor.run;

import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.DoctorOptions;
import dev.minsky.doctor.engine.Engine;
import dev.minsky.doctor.engine.PlaybookLoader;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.probe.ProbeRunner;
import dev.minsky.store.Stores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One doctor run: load the playbooks (built in, the user's, {@code --kb}), build the rule base
 * once, then probe and diagnose as often as asked ({@code --fix} diagnoses again after fixing).
 */
public final class Doctor {
    public static final int SCHEMA_VERSION = 1;

    private final DoctorEnv env;
    private final DoctorOptions options;
    private final CompletableFuture<Built> built;
    private final Map<String, Long> timings = new ConcurrentHashMap<>();
    private dev.minsky.store.Progress progress = dev.minsky.store.Progress.NONE;

    private record Built(PlaybookLoader.Loaded loaded, Engine engine, long loadMillis, long buildMillis) {}

    /** A rule base started before the command line was parsed (see {@link #startEarly}), with its directories. */
    private static List<Path> earlyDirs;
    private static CompletableFuture<Built> early;

    /**
     * Starts loading the playbooks and building the rule base, and loads the SQLite driver's
     * native library, on threads of their own as soon as {@code main} sees {@code minsky doctor}:
     * the parsing of the command line and the config then runs beside them instead of before
     * them. The doctor takes the rule base over when its knowledge base directories are the same;
     * with {@code --kb} only the driver is loaded early.
     */
    public static void startEarly(dev.minsky.AppContext ctx, String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h") || a.equals("--undo") || a.startsWith("--undo=")) {
                return;
            }
        }
        Thread warmUp = new Thread(() -> {
            try {
                for (dev.minsky.store.StoreProvider p : dev.minsky.store.Stores.providers()) {
                    try {
                        p.warmUp();
                    } catch (RuntimeException | LinkageError e) {
                        // the probe that opens the database reports a driver that cannot load
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                // the probe that opens the database reports a driver that cannot load
            }
        }, "doctor-store-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        for (String a : args) {
            if (a.equals("--kb") || a.startsWith("--kb=")) {
                return; // the knowledge base depends on the options: the doctor builds it once they are parsed
            }
        }
        List<Path> dirs = List.of(ctx.paths().userKnowledgeBase());
        synchronized (Doctor.class) {
            if (early == null) {
                earlyDirs = dirs;
                early = buildAsync(dirs, ctx.paths());
            }
        }
    }

    private static synchronized CompletableFuture<Built> takeEarly(List<Path> dirs) {
        CompletableFuture<Built> f = early;
        if (f != null && dirs.equals(earlyDirs)) {
            early = null;
            earlyDirs = null;
            return f;
        }
        return null;
    }

    private static CompletableFuture<Built> buildAsync(List<Path> dirs, dev.minsky.MinskyPaths paths) {
        return CompletableFuture.supplyAsync(() -> {
            long t0 = System.nanoTime();
            // playbooks may name the actions of these plugin jars, and carry their own playbooks; the
            // config load of this run has normally said so already (and the probes, running meanwhile,
            // share the store providers cached for it: not told again for nothing)
            if (!paths.equals(dev.minsky.plugin.Plugins.current())) {
                dev.minsky.plugin.Plugins.use(paths);
            }
            PlaybookLoader.Loaded loaded = PlaybookLoader.loadWithPlugins(dirs, dev.minsky.plugin.Plugins.jars(paths));
            long t1 = System.nanoTime();
            // lazy: the rule base is built when a diagnosis finds a cause whose gate holds (never on a healthy store)
            Engine engine = Engine.lazy(loaded.causes());
            return new Built(loaded, engine, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        }, r -> {
            Thread t = new Thread(r, "doctor-rulebase");
            t.setDaemon(true);
            t.start();
        });
    }

    private Doctor(DoctorEnv env, DoctorOptions options) {
        this.env = env;
        this.options = options;
        List<Path> dirs = new ArrayList<>();
        dirs.add(env.ctx().paths().userKnowledgeBase());
        dirs.addAll(options.extraKnowledgeBases());
        // The rule base does not depend on the probes' facts: build it on a second core while
        // the probes wait on the disk and the database (or take over the one main started).
        CompletableFuture<Built> f = takeEarly(List.copyOf(dirs));
        this.built = f != null ? f : buildAsync(dirs, env.ctx().paths());
    }

    private Built built() {
        try {
            Built b = built.join();
            timings.putIfAbsent("playbooks.load", b.loadMillis());
            timings.putIfAbsent("rulebase.build", b.buildMillis());
            return b;
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** Loads the knowledge base and builds the rule base. */
    public static Doctor open(DoctorEnv env, DoctorOptions options) {
        return new Doctor(env, options);
    }

    public PlaybookLoader.Loaded knowledgeBase() {
        return built().loaded();
    }

    public Engine engine() {
        return built().engine();
    }

    /**
     * Milliseconds per phase (playbooks.load and rulebase.build run beside the probes;
     * rulebase.wait is how long the diagnosis then waited for them). The engine is lazy
     * ({@link Engine#lazy}): rulebase.build only sets it up, and rules.fire includes building the
     * rule base of the causes whose gates hold, 0 ms when none does (a healthy store).
     */
    public Map<String, Long> timings() {
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (String k : List.of("playbooks.load", "rulebase.build", "probes", "rulebase.wait", "rules.fire")) {
            if (timings.containsKey(k)) {
                ordered.put(k, timings.get(k));
            }
        }
        return ordered;
    }

    /** Hears which probe runs in every later diagnosis (the CLI's progress bar). */
    public Doctor progress(dev.minsky.store.Progress progress) {
        this.progress = progress;
        return this;
    }

    /** Probes the store and diagnoses it. */
    public DoctorReport diagnose() {
        return diagnose(env);
    }

    /**
     * Probes with another environment, e.g. the config re-read after {@code --fix} changed it, with
     * the rule base already built.
     */
    public DoctorReport diagnose(DoctorEnv probeEnv) {
        long t0 = System.nanoTime();
        ProbeRunner.Results results = ProbeRunner.run(probeEnv, options.deadline(), ProbeRunner.timeoutScale(options.deadline()),
                progress);
        progress.phase("weighing the evidence");
        long t1 = System.nanoTime();
        timings.put("probes", (t1 - t0) / 1_000_000);
        built();
        long t2 = System.nanoTime();
        timings.put("rulebase.wait", (t2 - t1) / 1_000_000);
        DoctorReport report = report(results);
        timings.put("rules.fire", (System.nanoTime() - t2) / 1_000_000);
        return report;
    }

    /** Diagnoses facts that were already collected (fixtures, the bundle, tests). */
    public DoctorReport report(ProbeRunner.Results results) {
        Built b = built();
        boolean debug = debugLog();
        if (debug) {
            for (dev.minsky.doctor.model.ProbeRun p : results.runs()) {
                long n = results.facts().stream().filter(f -> p.id().equals(f.probe())).count();
                env.log().debug("doctor", "probe " + p.id() + " " + p.status() + " in " + p.millis() + " ms, " + n + " fact"
                        + (n == 1 ? "" : "s") + (p.detail() == null ? "" : ": " + p.detail()));
            }
        }
        List<Finding> findings = b.engine().diagnose(results.facts(), debug ? line -> env.log().debug("doctor", line) : null);
        if (debug) {
            findings.forEach(f -> env.log().debug("doctor", "finding " + f.cause() + " confidence "
                    + Math.round(f.confidence() * 100) + "%"));
        }
        return new DoctorReport(SCHEMA_VERSION, backend(results.facts()), store(results.facts()),
                DoctorReport.healthy(findings), findings, results.runs(), results.facts(), null, null,
                b.loaded().errors().isEmpty() ? null : b.loaded().errors());
    }

    /**
     * Debug lines only when asked for and only into a state directory that is already there: the
     * doctor creates nothing on a machine where minsky has never run.
     */
    private boolean debugLog() {
        return env.log() != null && env.log().debugEnabled() && java.nio.file.Files.isDirectory(env.ctx().paths().stateDir());
    }

    private String backend(List<Fact> facts) {
        Object b = value(facts, "config.backend");
        return b != null ? b.toString() : env.settings() == null ? null : env.settings().backend();
    }

    private String store(List<Fact> facts) {
        Object p = value(facts, "store.path");
        if (p != null) {
            return env.log().scrub(p.toString());
        }
        try {
            return env.log().scrub(Stores.provider(env.settings()).location(env.settings()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Object value(List<Fact> facts, String id) {
        for (Fact f : facts) {
            if (f.id().equals(id)) {
                return f.value();
            }
        }
        return null;
    }
}
