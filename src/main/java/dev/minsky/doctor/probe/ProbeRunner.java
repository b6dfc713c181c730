package dev.minsky.doctor.probe;

import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.DoctorOptions;
import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.ProbeRun;
import dev.minsky.doctor.model.ProbeStatus;
import dev.minsky.plugin.Plugins;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs every probe that applies to the configured backend: cheap ones first (after whatever they
 * depend on), each on its own worker thread with its own timeout, two at a time, all under one
 * deadline. A probe
 * that throws or overruns yields {@code probe.<id>.failed} and {@code probe.<id>.error}; the run
 * goes on. Nothing is retried.
 */
public final class ProbeRunner {
    /** Probes running at once: the machines we target have two cores. */
    static final int PARALLELISM = 2;
    /**
     * How long a run waits, once it is over, for the probes it gave up on to end (scaled like the
     * probes' own timeouts by {@code --timeout}): a probe that overran still closes what it opened
     * (an SQLite connection whose last close removes the {@code -wal}/{@code -shm} its open made)
     * only if the process lives until it gets there. A budget, not a pause: an interrupted probe
     * usually ends at once, and the run goes on as soon as every one has; on a busy machine the
     * close itself can take seconds. After {@link #CLOSE_NOTICE} the progress line names the probes
     * still closing; when the budget runs out, the log and stderr say which were left running.
     */
    static final Duration CLOSE_BUDGET = Duration.ofSeconds(15);
    static final Duration CLOSE_NOTICE = Duration.ofSeconds(1);

    /** Facts collected and how each probe went. */
    public record Results(List<Fact> facts, List<ProbeRun> runs) {}

    private ProbeRunner() {}

    /** Every probe found, each with its own timeout (cut short by the deadline). */
    public static Results run(DoctorEnv env, Duration deadline) {
        return run(env, deadline, 1.0);
    }

    /**
     * The doctor's run with {@code --timeout}: every probe's own timeout is scaled by how the
     * deadline compares with the default one ({@link #timeoutScale}), so that {@code --timeout 30s}
     * gives every probe three times as long.
     */
    public static Results run(DoctorEnv env, Duration deadline, double timeoutScale) {
        return run(env, deadline, timeoutScale, dev.minsky.store.Progress.NONE);
    }

    /**
     * {@link #run(DoctorEnv, Duration, double)}, telling {@code progress} which probe runs
     * ("checking sessions and workspaces (3/9)") and each one that ends.
     */
    public static Results run(DoctorEnv env, Duration deadline, double timeoutScale, dev.minsky.store.Progress progress) {
        List<ProbeRun> loadErrors = new ArrayList<>();
        Results r = run(env, deadline, load(env, loadErrors), timeoutScale, progress);
        if (loadErrors.isEmpty()) {
            return r;
        }
        List<ProbeRun> runs = new ArrayList<>(loadErrors);
        runs.addAll(r.runs());
        return new Results(r.facts(), List.copyOf(runs));
    }

    /**
     * The probes found by ServiceLoader, built-in ones and plugins'. One that cannot be loaded is
     * reported as a failed run named {@code plugin}; it never stops the doctor. (Not logged: the
     * log lives in the state directory, and the doctor must not create it.)
     */
    static List<Probe> load(DoctorEnv env, List<ProbeRun> loadErrors) {
        Plugins.Found<Probe> found = Plugins.load(Probe.class, env.ctx().paths());
        for (Plugins.Problem p : found.problems()) {
            loadErrors.add(new ProbeRun("plugin", "failed", 0, "a probe could not be loaded: " + p));
        }
        // the plugins' actions and backends too, so that a broken one is named by every doctor run
        // (a skipped jar is already among the probe problems)
        for (Plugins.Problem p : Plugins.problems(env.ctx().paths(),
                List.of(dev.minsky.doctor.fix.RemediationAction.class, dev.minsky.store.StoreProvider.class))) {
            if (!found.problems().contains(p)) {
                loadErrors.add(new ProbeRun("plugin", "failed", 0, "could not be loaded: " + p));
            }
        }
        List<Probe> out = new ArrayList<>();
        for (Plugins.Loaded<Probe> l : found.services()) {
            if (l.jar() == null) {
                out.add(l.service());
                continue;
            }
            try {
                out.add(new PluginProbe(l.service(), l.jar()));
            } catch (RuntimeException | LinkageError e) {
                loadErrors.add(new ProbeRun("plugin", ProbeStatus.FAILED.json(), 0, "a probe could not be loaded: plugin " + l.jar() + ": "
                        + l.service().getClass().getName() + " failed to describe itself: " + Plugins.describe(e)));
            }
        }
        return out;
    }

    /**
     * A plugin's probe, its description read once when loaded (so that a broken one is dropped
     * there, named by its jar), and any failure of {@code appliesTo} or {@code run}, Errors such as
     * NoClassDefFoundError included, turned into an ordinary probe failure that names the jar.
     */
    static final class PluginProbe implements Probe {
        private final Probe probe;
        final String jar;
        private final String id;
        private final Cost cost;
        private final Duration timeout;
        private final Set<String> dependsOn;
        private final Set<String> produces;

        PluginProbe(Probe probe, String jar) {
            this.probe = probe;
            this.jar = jar;
            this.id = java.util.Objects.requireNonNull(probe.id(), "id()");
            this.cost = java.util.Objects.requireNonNull(probe.cost(), "cost()");
            this.timeout = java.util.Objects.requireNonNull(probe.timeout(), "timeout()");
            this.dependsOn = Set.copyOf(probe.dependsOn());
            this.produces = Set.copyOf(probe.produces());
        }

        @Override public String id() { return id; }
        @Override public Cost cost() { return cost; }
        @Override public Duration timeout() { return timeout; }
        @Override public Set<String> dependsOn() { return dependsOn; }
        @Override public Set<String> produces() { return produces; }

        @Override
        public boolean appliesTo(String backend) {
            try {
                return probe.appliesTo(backend);
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }

        @Override
        public void run(ProbeContext ctx) throws Exception {
            try {
                probe.run(ctx);
            } catch (LinkageError e) {
                throw new IllegalStateException(Plugins.describe(e), e);
            }
        }
    }

    /** "plugin x.jar: " for a plugin's probe, "" for a built-in one. */
    private static String origin(Probe p) {
        return p instanceof PluginProbe pp ? "plugin " + pp.jar + ": " : "";
    }

    /** How much longer than its own timeout each probe may take under this deadline. */
    public static double timeoutScale(Duration deadline) {
        return (double) deadline.toNanos() / DoctorOptions.DEFAULT_DEADLINE.toNanos();
    }

    /** Runs the given probes (tests and plugins' own harnesses use this directly). */
    public static Results run(DoctorEnv env, Duration deadline, List<Probe> probes) {
        return run(env, deadline, probes, 1.0, dev.minsky.store.Progress.NONE);
    }

    private static Results run(DoctorEnv env, Duration deadline, List<Probe> probes, double timeoutScale,
                               dev.minsky.store.Progress progress) {
        long end = System.nanoTime() + deadline.toNanos();
        String backend = env.settings().backend();
        Map<String, Fact> facts = new LinkedHashMap<>();
        List<ProbeRun> runs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Probe> applicable = new ArrayList<>();
        for (Probe p : probes) {
            if (!seen.add(p.id())) {
                runs.add(new ProbeRun(p.id(), ProbeStatus.SKIPPED.json(), 0, "another probe has the same id: " + p.getClass().getName()));
                continue;
            }
            boolean applies;
            try {
                applies = p.appliesTo(backend);
            } catch (RuntimeException e) {
                applies = false;
            }
            if (applies) {
                applicable.add(p);
            }
        }
        List<Probe> planned = order(applicable);
        List<Thread> abandoned = new ArrayList<>();
        Map<Probe, ProbeRun> outcome = schedule(env, deadline, end, planned, facts, timeoutScale, abandoned, progress);
        awaitAbandoned(env, abandoned, (long) (CLOSE_BUDGET.toNanos() * Math.max(1.0, timeoutScale)), progress);
        for (Probe p : planned) {
            runs.add(outcome.get(p));
        }
        completeness(facts, deadline, planned, outcome);
        return new Results(List.copyOf(facts.values()), List.copyOf(runs));
    }

    /**
     * The facts that say whether every area was checked (the {@code doctor.incomplete} cause reads
     * them): a probe that timed out, failed, or was not run because the deadline had passed leaves
     * its areas unchecked. A probe that skipped itself (its store cannot be opened, it does not
     * apply) is not counted: another fact says why, and a cause reports that.
     */
    private static void completeness(Map<String, Fact> facts, Duration deadline, List<Probe> planned,
                                     Map<Probe, ProbeRun> outcome) {
        Set<String> areas = new java.util.LinkedHashSet<>();
        List<String> probes = new ArrayList<>();
        for (Probe p : planned) {
            ProbeRun run = outcome.get(p);
            if (run == null || !unchecked(run)) {
                continue;
            }
            areas.addAll(areasOf(p.id()));
            probes.add(p.id() + " (" + run.status() + (run.detail() == null ? "" : ": " + run.detail()) + ")");
        }
        put(facts, "doctor.deadline.millis", deadline.toMillis());
        put(facts, "doctor.incomplete.count", (long) probes.size());
        if (!probes.isEmpty()) {
            put(facts, "doctor.incomplete.areas", String.join(", ", areas));
            put(facts, "doctor.incomplete.probes", String.join("; ", probes));
        }
    }

    /** A run that ended before the probe made its observations. */
    static boolean unchecked(ProbeRun run) {
        ProbeStatus st = ProbeStatus.of(run.status());
        return st == ProbeStatus.TIMEOUT || st == ProbeStatus.FAILED
                || (st == ProbeStatus.SKIPPED && "deadline passed".equals(run.detail()));
    }

    /** What a probe looks at, in the words of the progress line: its own ({@link Probe#checking()}), else the core's. */
    static String checking(Probe p) {
        try {
            String own = p.checking();
            if (own != null && !own.isBlank()) {
                return own;
            }
        } catch (RuntimeException | LinkageError e) {
            // a plugin probe that cannot say: its id
        }
        return checking(p.id());
    }

    /** The core probes' words; another probe is named by its id. */
    static String checking(String probeId) {
        return switch (probeId) {
            case "config" -> "the configuration";
            case "fs.mount" -> "the file system";
            case "fs.store" -> "the store's files and permissions";
            case "process" -> "other minsky processes";
            case "store.sessions" -> "sessions and workspaces";
            case "store.others" -> "other stores";
            case "backup" -> "the backups";
            default -> "probe " + probeId;
        };
    }

    /** The areas of the report (see HumanReport) whose facts a probe makes. */
    static List<String> areasOf(String probeId) {
        if (probeId.equals("store.sessions")) {
            return List.of("sessions", "perf");
        }
        String first = probeId.contains(".") ? probeId.substring(0, probeId.indexOf('.')) : probeId;
        // a backend's probes are named after its area (StoreProvider.area(): sqlite.open)
        return first.equals("config") || first.equals("backup") || dev.minsky.store.Stores.areas().contains(first)
                ? List.of(first) : List.of("store");
    }

    private static void put(Map<String, Fact> facts, String id, Object value) {
        facts.put(id, new Fact(id, value, "doctor"));
    }

    /** One probe on its worker thread. */
    private static final class Running {
        final Probe probe;
        final RunnerContext ctx;
        final long start;
        final long expires;
        volatile Throwable error;
        Thread thread;
        boolean finished;

        Running(Probe probe, RunnerContext ctx, long start, long expires) {
            this.probe = probe;
            this.ctx = ctx;
            this.start = start;
            this.expires = expires;
        }
    }

    /**
     * Runs the planned probes, up to {@link #PARALLELISM} at a time: a probe starts once every
     * probe planned before it that produces a fact it depends on has finished. Cold, most of a
     * probe's time is class loading and native-library loading, which a second core overlaps.
     */
    private static Map<Probe, ProbeRun> schedule(DoctorEnv env, Duration deadline, long end, List<Probe> planned,
                                                 Map<String, Fact> facts, double timeoutScale, List<Thread> abandoned,
                                                 dev.minsky.store.Progress progress) {
        int started = 0;
        Map<Probe, ProbeRun> outcome = new HashMap<>();
        Map<String, List<Probe>> producers = producers(planned);
        Map<Probe, Integer> index = new HashMap<>();
        for (int i = 0; i < planned.size(); i++) {
            index.put(planned.get(i), i);
        }
        List<Probe> pending = new ArrayList<>(planned);
        Set<Probe> finished = new HashSet<>();
        List<Running> running = new ArrayList<>();
        BlockingQueue<Running> done = new LinkedBlockingQueue<>();
        while (!pending.isEmpty() || !running.isEmpty()) {
            for (Iterator<Probe> it = pending.iterator(); it.hasNext() && running.size() < PARALLELISM; ) {
                Probe p = it.next();
                if (!dependenciesDone(p, producers, index, finished)) {
                    continue;
                }
                it.remove();
                long now = System.nanoTime();
                if (end - now <= 0) {
                    fail(facts, p, "not run: the doctor's deadline of " + deadline.toMillis() + " ms had passed");
                    outcome.put(p, new ProbeRun(p.id(), ProbeStatus.SKIPPED.json(), 0, "deadline passed"));
                    finished.add(p);
                    continue;
                }
                long budget = Math.max(1, Math.min(end - now, (long) (p.timeout().toNanos() * timeoutScale)));
                Running r = new Running(p, new RunnerContext(p, env, new HashMap<>(facts), now + budget), now, now + budget);
                r.thread = new Thread(() -> {
                    try {
                        p.run(r.ctx);
                    } catch (Throwable t) {
                        r.error = t;
                    } finally {
                        done.add(r);
                    }
                }, "probe-" + p.id());
                r.thread.setDaemon(true);
                progress.phase("checking " + checking(p) + " (" + ++started + "/" + planned.size() + ")");
                r.thread.start();
                running.add(r);
            }
            if (running.isEmpty()) {
                continue;
            }
            long nearest = Long.MAX_VALUE;
            for (Running r : running) {
                nearest = Math.min(nearest, r.expires);
            }
            Running next;
            try {
                next = done.poll(Math.max(0, nearest - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                for (Running r : running) {
                    finish(env, r, ProbeStatus.FAILED, "interrupted", facts, outcome);
                    finished.add(r.probe);
                    abandoned.add(r.thread);
                }
                running.clear();
                continue;
            }
            if (next != null && !next.finished) {
                if (next.error != null) {
                    finish(env, next, ProbeStatus.FAILED, env.log().scrub(describe(next.error)), facts, outcome);
                } else {
                    String skip = next.ctx.skipReason();
                    finish(env, next, skip != null ? ProbeStatus.SKIPPED : ProbeStatus.OK, skip != null ? skip : next.ctx.detailNote(), facts, outcome);
                }
                running.remove(next);
                finished.add(next.probe);
            }
            long now = System.nanoTime();
            for (Iterator<Running> it = running.iterator(); it.hasNext(); ) {
                Running r = it.next();
                if (now - r.expires >= 0) {
                    finish(env, r, ProbeStatus.TIMEOUT, "gave up after " + TimeUnit.NANOSECONDS.toMillis(r.expires - r.start) + " ms",
                            facts, outcome);
                    it.remove();
                    finished.add(r.probe);
                    abandoned.add(r.thread);
                }
            }
        }
        return outcome;
    }

    /**
     * Waits, within {@code budgetNanos} in all, for the interrupted probes to end, so that their
     * finally blocks run before the process exits. What they emit now is no longer taken. Returns
     * the ids of the probes still running when the budget ran out (said on stderr and in the log).
     */
    static List<String> awaitAbandoned(DoctorEnv env, List<Thread> abandoned, long budgetNanos, dev.minsky.store.Progress progress) {
        long start = System.nanoTime();
        long until = start + budgetNanos;
        boolean told = false;
        boolean interrupted = false;
        for (Thread t : abandoned) {
            while (t.isAlive() && !interrupted) {
                long now = System.nanoTime();
                if (now - until >= 0) {
                    break;
                }
                if (!told && now - start >= CLOSE_NOTICE.toNanos()) {
                    progress.phase("waiting for " + String.join(", ", probeIds(alive(abandoned)))
                            + " to close what it opened (the doctor gave up on it)");
                    told = true;
                }
                long slice = told ? until - now : Math.min(until - now, start + CLOSE_NOTICE.toNanos() - now);
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(slice)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        List<String> left = probeIds(alive(abandoned));
        if (!left.isEmpty()) {
            String msg = "probe " + String.join(", ", left) + " still running " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                    + " ms after the doctor gave up on it (close budget " + TimeUnit.NANOSECONDS.toMillis(budgetNanos)
                    + " ms); it may leave open what it opened (a store's companion files go with its next close)";
            env.log().warn("doctor", msg);
            System.err.println("minsky: " + msg);
        }
        return left;
    }

    private static List<Thread> alive(List<Thread> threads) {
        List<Thread> a = new ArrayList<>();
        for (Thread t : threads) {
            if (t.isAlive()) {
                a.add(t);
            }
        }
        return a;
    }

    private static List<String> probeIds(List<Thread> threads) {
        List<String> ids = new ArrayList<>();
        for (Thread t : threads) {
            ids.add(t.getName().startsWith("probe-") ? t.getName().substring("probe-".length()) : t.getName());
        }
        return ids;
    }

    /** Takes what the probe made (closing its context first, so nothing it emits later gets in). */
    private static void finish(DoctorEnv env, Running r, ProbeStatus status, String detail, Map<String, Fact> facts,
                               Map<Probe, ProbeRun> outcome) {
        r.finished = true;
        List<Fact> made = r.ctx.close();
        if (status != ProbeStatus.OK && status != ProbeStatus.SKIPPED) {
            r.thread.interrupt();
        }
        // Facts a probe made before it failed are still observations.
        for (Fact f : made) {
            facts.put(f.id(), f);
        }
        if (status == ProbeStatus.FAILED || status == ProbeStatus.TIMEOUT) {
            detail = origin(r.probe) + (detail == null ? status.json() : detail);
            fail(facts, r.probe, detail);
        }
        outcome.put(r.probe, new ProbeRun(r.probe.id(), status.json(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - r.start), detail));
    }

    private static Map<String, List<Probe>> producers(List<Probe> probes) {
        Map<String, List<Probe>> producers = new HashMap<>();
        for (Probe p : probes) {
            for (String f : p.produces()) {
                producers.computeIfAbsent(f, k -> new ArrayList<>()).add(p);
            }
        }
        return producers;
    }

    /** Producers planned before this probe have finished (later ones only exist in a dependency cycle). */
    private static boolean dependenciesDone(Probe p, Map<String, List<Probe>> producers, Map<Probe, Integer> index,
                                            Set<Probe> finished) {
        for (String f : p.dependsOn()) {
            for (Probe q : producers.getOrDefault(f, List.of())) {
                if (q != p && index.get(q) < index.get(p) && !finished.contains(q)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void fail(Map<String, Fact> facts, Probe p, String why) {
        facts.put("probe." + p.id() + ".failed", new Fact("probe." + p.id() + ".failed", true, p.id()));
        facts.put("probe." + p.id() + ".error", new Fact("probe." + p.id() + ".error", why, p.id()));
    }

    static String describe(Throwable t) {
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    /**
     * Cheap first, but never before a probe producing a fact this one depends on. A dependency
     * cycle is broken in cost order rather than refused: the probes cope with absent facts.
     */
    static List<Probe> order(List<Probe> probes) {
        Map<String, List<Probe>> producers = new HashMap<>();
        for (Probe p : probes) {
            for (String f : p.produces()) {
                producers.computeIfAbsent(f, k -> new ArrayList<>()).add(p);
            }
        }
        Map<Probe, Integer> index = new HashMap<>();
        for (int i = 0; i < probes.size(); i++) {
            index.put(probes.get(i), i);
        }
        Comparator<Probe> priority = Comparator.comparing((Probe p) -> p.cost().ordinal())
                .thenComparing(index::get);
        List<Probe> pending = new ArrayList<>(probes);
        pending.sort(priority);
        List<Probe> out = new ArrayList<>();
        Set<Probe> done = new HashSet<>();
        while (!pending.isEmpty()) {
            Probe next = null;
            for (Probe p : pending) {
                if (ready(p, producers, done)) {
                    next = p;
                    break;
                }
            }
            if (next == null) {
                next = pending.get(0);
            }
            pending.remove(next);
            done.add(next);
            out.add(next);
        }
        return out;
    }

    private static boolean ready(Probe p, Map<String, List<Probe>> producers, Set<Probe> done) {
        for (String f : p.dependsOn()) {
            for (Probe q : producers.getOrDefault(f, List.of())) {
                if (q != p && !done.contains(q)) {
                    return false;
                }
            }
        }
        return true;
    }
}
