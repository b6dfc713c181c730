package dev.minsky.doctor.probe;

import dev.minsky.config.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What a running {@link Probe} sees: the store settings, the facts earlier probes made, and where
 * it emits its own. One context per probe run; minsky implements it, a plugin never does.
 *
 * <p>Thread rules: a context belongs to the one probe run it was made for. {@link #emit},
 * {@link #skip} and {@link #detail} may be called from any thread the probe starts (they are
 * synchronized); facts emitted after the probe timed out or returned are dropped. Every method is
 * fast (none does I/O).
 */
public interface ProbeContext {

    /**
     * The effective store settings (built leniently: the config may have problems). Never null;
     * its {@code connectionString} may be null and holds a password: never emit it.
     */
    Settings settings();

    /** The configured backend id ({@code json}, {@code sqlite}, {@code postgres} or a plugin's); never null. */
    String backend();

    /** The run's clock (tests fix it); never null. Use it instead of {@code Instant.now()}. */
    Clock clock();

    /** A fact an earlier probe made, if it did; never null (empty when absent). */
    Optional<dev.minsky.doctor.model.Fact> fact(String id);

    /** True when the fact is present and {@code true}. */
    default boolean isTrue(String id) {
        return fact(id).map(dev.minsky.doctor.model.Fact::isTrue).orElse(false);
    }

    /** True when the fact is present and {@code false}. */
    default boolean isFalse(String id) {
        return fact(id).map(f -> Boolean.FALSE.equals(f.value())).orElse(false);
    }

    /** The numeric value of a fact, or {@code dflt} when absent or not a number. */
    default double number(String id, double dflt) {
        return fact(id).filter(dev.minsky.doctor.model.Fact::isNumber).map(dev.minsky.doctor.model.Fact::number).orElse(dflt);
    }

    /** Time left before this probe is abandoned; never negative. */
    Duration remaining();

    /**
     * Emits a fact. A null value is ignored (an unobserved fact is absent). Values are Boolean,
     * Number or String (anything else throws IllegalArgumentException); ids should be declared in
     * {@link Probe#produces()}.
     */
    void emit(String id, Object value);

    /** Says the probe had nothing to look at (e.g. the file does not exist); it then reports as skipped. */
    void skip(String reason);

    /** A note for the report about how the probe went (e.g. "read a snapshot copy"); may be null. */
    void detail(String detail);
}
