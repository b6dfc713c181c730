package dev.minsky.doctor.probe;

import dev.minsky.config.Settings;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.Fact;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runner's {@link ProbeContext}: what the plugin API offers, plus the doctor's environment
 * for the built-in probes ({@link #env(ProbeContext)}). One context per probe run. Facts emitted
 * after the probe timed out are dropped.
 */
public final class RunnerContext implements ProbeContext {
    private final Probe probe;
    private final DoctorEnv env;
    private final Map<String, Fact> earlier;
    private final long deadlineNanos;
    private final List<Fact> emitted = new ArrayList<>();
    private String skipReason;
    private String detail;
    private boolean closed;

    RunnerContext(Probe probe, DoctorEnv env, Map<String, Fact> earlier, long deadlineNanos) {
        this.probe = probe;
        this.env = env;
        this.earlier = Collections.unmodifiableMap(earlier);
        this.deadlineNanos = deadlineNanos;
    }

    public DoctorEnv env() {
        return env;
    }

    /** The doctor's environment behind a context the runner made (built-in probes only). */
    public static DoctorEnv env(ProbeContext ctx) {
        return ((RunnerContext) ctx).env;
    }

    /** The effective store settings (built leniently: the config may have problems). */
    @Override
    public Settings settings() {
        return env.settings();
    }

    /** The configured backend id. */
    @Override
    public String backend() {
        return env.settings().backend();
    }

    @Override
    public Clock clock() {
        return env.ctx().clock();
    }

    /** A fact an earlier probe made, if it did. */
    @Override
    public Optional<Fact> fact(String id) {
        return Optional.ofNullable(earlier.get(id));
    }

    /** True when the fact is present and {@code true}. */
    @Override
    public boolean isTrue(String id) {
        Fact f = earlier.get(id);
        return f != null && f.isTrue();
    }

    /** True when the fact is present and {@code false}. */
    @Override
    public boolean isFalse(String id) {
        Fact f = earlier.get(id);
        return f != null && Boolean.FALSE.equals(f.value());
    }

    /** The numeric value of a fact, or {@code dflt} when absent or not a number. */
    @Override
    public double number(String id, double dflt) {
        Fact f = earlier.get(id);
        return f != null && f.isNumber() ? f.number() : dflt;
    }

    /** Time left before this probe is abandoned. */
    @Override
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /**
     * Emits a fact. A null value is ignored (an unobserved fact is absent). Values are Boolean,
     * Number or String; ids should be declared in {@link Probe#produces()}.
     */
    @Override
    public synchronized void emit(String id, Object value) {
        if (value == null || closed) {
            return;
        }
        emitted.add(new Fact(id, value, probe.id()));
    }

    /** Says the probe had nothing to look at (e.g. the file does not exist); it then reports as skipped. */
    @Override
    public synchronized void skip(String reason) {
        this.skipReason = reason;
    }

    /** A note for the report about how the probe went (e.g. "read a snapshot copy"). */
    @Override
    public synchronized void detail(String detail) {
        this.detail = detail;
    }

    synchronized List<Fact> close() {
        closed = true;
        return List.copyOf(emitted);
    }

    synchronized String skipReason() {
        return skipReason;
    }

    synchronized String detailNote() {
        return detail;
    }
}
