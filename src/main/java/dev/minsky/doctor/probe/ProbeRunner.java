package dev.minsky.doctor.probe;

import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.ProbeRun;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs every probe that applies to the configured backend: cheap ones first (after whatever they
 * depend on), each on its own worker thread with its own timeout, all under one deadline. A probe
 * that throws or overruns yields {@code probe.<id>.failed} and {@code probe.<id>.error}; the run
 * goes on. Nothing is retried.
 */
public final class ProbeRunner {
    /** Facts collected and how each probe went. */
    public record Results(List<Fact> facts, List<ProbeRun> runs) {}

    private ProbeRunner() {}

    public static Results run(DoctorEnv env, Duration deadline) {
        List<ProbeRun> loadErrors = new ArrayList<>();
        Results r = run(env, deadline, load(env, loadErrors));
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
        List<Probe> out = new ArrayList<>();
        ServiceLoader<Probe> loader = ServiceLoader.load(Probe.class, Plugins.classLoader(env.ctx().paths()));
        Iterator<Probe> it = loader.iterator();
        // bounded: a loader that keeps failing on the same entry must not hang the doctor
        for (int errors = 0; errors < 50; ) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError e) {
                errors++;
                loadErrors.add(new ProbeRun("plugin", "failed", 0, "a probe could not be loaded: " + e.getMessage()));
            }
        }
        return out;
    }

    /** Runs the given probes (tests and plugins' own harnesses use this directly). */
    public static Results run(DoctorEnv env, Duration deadline, List<Probe> probes) {
        long end = System.nanoTime() + deadline.toNanos();
        String backend = env.settings().backend();
        Map<String, Fact> facts = new LinkedHashMap<>();
        List<ProbeRun> runs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Probe> applicable = new ArrayList<>();
        for (Probe p : probes) {
            if (!seen.add(p.id())) {
                runs.add(new ProbeRun(p.id(), "skipped", 0, "another probe has the same id: " + p.getClass().getName()));
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
        for (Probe p : order(applicable)) {
            long remaining = end - System.nanoTime();
            if (remaining <= 0) {
                fail(facts, p, "not run: the doctor's deadline of " + deadline.toMillis() + " ms had passed");
                runs.add(new ProbeRun(p.id(), "skipped", 0, "deadline passed"));
                continue;
            }
            long budget = Math.min(remaining, p.timeout().toNanos());
            runs.add(runOne(env, p, facts, budget));
        }
        return new Results(List.copyOf(facts.values()), List.copyOf(runs));
    }

    private static ProbeRun runOne(DoctorEnv env, Probe p, Map<String, Fact> facts, long budgetNanos) {
        long start = System.nanoTime();
        ProbeContext ctx = new ProbeContext(p, env, new HashMap<>(facts), start + budgetNanos);
        FutureTask<Void> task = new FutureTask<>(() -> {
            p.run(ctx);
            return null;
        });
        Thread worker = new Thread(task, "probe-" + p.id());
        worker.setDaemon(true);
        worker.start();
        String status;
        String detail;
        List<Fact> made;
        try {
            task.get(budgetNanos, TimeUnit.NANOSECONDS);
            made = ctx.close();
            status = ctx.skipReason() != null ? "skipped" : "ok";
            detail = ctx.skipReason() != null ? ctx.skipReason() : ctx.detailNote();
        } catch (TimeoutException e) {
            // closed before the interrupt, so that nothing it emits on its way out gets in
            made = ctx.close();
            task.cancel(true);
            status = "timeout";
            detail = "gave up after " + TimeUnit.NANOSECONDS.toMillis(budgetNanos) + " ms";
        } catch (ExecutionException e) {
            made = ctx.close();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            status = "failed";
            detail = env.log().scrub(describe(cause));
        } catch (InterruptedException e) {
            made = ctx.close();
            Thread.currentThread().interrupt();
            task.cancel(true);
            status = "failed";
            detail = "interrupted";
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // Facts a probe made before it failed are still observations; later ones are dropped.
        for (Fact f : made) {
            facts.put(f.id(), f);
        }
        if (status.equals("failed") || status.equals("timeout")) {
            fail(facts, p, detail);
        }
        return new ProbeRun(p.id(), status, millis, detail);
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
