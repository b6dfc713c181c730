package dev.minsky.doctor.fix;

import dev.minsky.config.Settings;
import dev.minsky.doctor.model.Fact;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * What a {@link RemediationAction} sees: the settings in force now (re-read after an earlier fix
 * changed the config), the facts of the latest diagnosis, and the cause it was chosen for. minsky
 * implements it; a plugin never does. Every method is fast (no I/O) and may be called from the
 * thread that called {@code plan}, {@code apply} or {@code undo}.
 */
public interface FixContext {

    /** The store settings in force now; never null. */
    Settings settings();

    /** The run's clock; never null. */
    Clock clock();

    /**
     * The id of the cause being fixed (e.g. {@code acme.marker-missing}); null during
     * {@code --undo}, when the action is asked to undo what it did in an earlier run.
     */
    String cause();

    /** A fact of the latest diagnosis; empty when absent, and always empty during undo. */
    Optional<Fact> fact(String id);

    /** The fact's value as text, or null when absent. */
    default String text(String id) {
        return fact(id).map(Fact::text).orElse(null);
    }

    /** The fact's whole-number value, or {@code absent} when missing or not a number. */
    default long number(String id, long absent) {
        return fact(id).filter(Fact::isNumber).map(f -> (long) f.number()).orElse(absent);
    }

    /** True only when the fact is present and true. */
    default boolean isTrue(String id) {
        return fact(id).map(Fact::isTrue).orElse(false);
    }

    /** True only when the fact is present and false. */
    default boolean isFalse(String id) {
        return fact(id).map(f -> Boolean.FALSE.equals(f.value())).orElse(false);
    }

    /** minsky's state directory (backups, logs, journal live there); never null. */
    default Path stateDir() {
        return settings().stateDir();
    }

    /**
     * Hears how far long work inside {@code apply} has got (the records a backup or a recovery
     * writes): minsky draws it as the fix step's progress bar on a terminal. {@link
     * dev.minsky.store.Progress#NONE} when nothing is shown; an action may ignore it.
     */
    default dev.minsky.store.Progress progress() {
        return dev.minsky.store.Progress.NONE;
    }
}
