package dev.minsky.doctor.probe;

import java.time.Duration;
import java.util.Set;

/**
 * One small observation of the store and its surroundings, turned into {@link dev.minsky.doctor.model.Fact}s.
 * Implementations are found with {@link java.util.ServiceLoader} (register them in
 * {@code META-INF/services/dev.minsky.doctor.probe.Probe}); a plugin jar in
 * {@code ~/.config/minsky/plugins/} may add probes the same way.
 *
 * <p>Rules every probe follows:
 * <ul>
 *   <li><b>Never change the store.</b> Open files read-only, never create a missing file or
 *   directory, never delete, truncate or checkpoint anything. A probe may read; it may take a
 *   lock only to see whether it can be had, and release it at once.</li>
 *   <li><b>Say what could not be observed</b> by leaving the fact out. Throwing is fine: the runner
 *   turns an exception into {@code probe.<id>.failed = true} and {@code probe.<id>.error}, and the
 *   run goes on.</li>
 *   <li><b>Stay within {@link #timeout()}</b>, and honour interruption: the runner abandons a probe
 *   that overruns (its later facts are dropped) and never retries it. Close what you open in a
 *   {@code finally}: once the run is over it waits a short grace (two seconds in all) for abandoned
 *   probes to end, so that an interrupted probe's close still runs before the process exits.</li>
 * </ul>
 *
 * <p>{@link #run} is called on a worker thread, once per doctor run, after every probe that
 * {@link #produces() produces} a fact this one {@link #dependsOn() depends on}. Probes are
 * otherwise ordered cheap first. Methods other than {@code run} must be fast and side-effect free.
 */
public interface Probe {

    /** How much a probe costs, which decides the order: cheap ones run first. */
    enum Cost {
        /** reads a few small files or /proc entries: well under 10 ms */
        CHEAP,
        /** opens the store, reads it, or talks to a server: tens of milliseconds */
        MODERATE,
        /** scans or checks the whole store: may take seconds on a large one */
        EXPENSIVE
    }

    /** A stable id, e.g. {@code sqlite.open}; used in {@code probe.<id>.failed} and in the report. */
    String id();

    Cost cost();

    /** How long the probe may run; the whole run's deadline may cut it shorter. */
    default Duration timeout() {
        return switch (cost()) {
            case CHEAP -> Duration.ofSeconds(2);
            case MODERATE -> Duration.ofSeconds(5);
            case EXPENSIVE -> Duration.ofSeconds(15);
        };
    }

    /**
     * Whether the probe applies to this backend ({@code json}, {@code sqlite}, {@code postgres}, or
     * a plugin's id); never null. Default: every backend.
     */
    default boolean appliesTo(String backend) {
        return true;
    }

    /**
     * Fact ids this probe reads through {@link ProbeContext#fact(String)}; the probes producing them
     * run first. A fact may still be absent when the probe runs (its producer failed or did not
     * apply): the probe must cope. Never null.
     */
    default Set<String> dependsOn() {
        return Set.of();
    }

    /**
     * What the probe looks at, in a few words for the progress line ("checking the SQLite database
     * file"); null (the default) shows "probe {@code <id>}". Cheap.
     */
    default String checking() {
        return null;
    }

    /** Every fact id this probe may emit (see docs/doctor-contract.md). Never null. */
    Set<String> produces();

    /**
     * Makes the observations and emits them with {@link ProbeContext#emit}. May block on I/O (up to
     * {@link #timeout()}); may throw any exception, which marks the probe failed.
     */
    void run(ProbeContext ctx) throws Exception;
}
