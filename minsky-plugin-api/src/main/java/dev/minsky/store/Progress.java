package dev.minsky.store;

/**
 * Hears how far a long operation has got: a store's batch writes, a verify, a repair. minsky shows
 * it as a progress bar on a terminal (and nothing otherwise); a backend only reports. Every method
 * may be called from the thread doing the work, often (once per record): implementations are cheap
 * and never throw. {@link #NONE} ignores everything.
 */
public interface Progress {
    /** Hears nothing. */
    Progress NONE = new Progress() {};

    /** A new step starts, e.g. "writing 100,000 sessions"; the count starts again from 0 and the total is unknown. */
    default void phase(String what) {}

    /** How many units the current step has in all (negative: unknown). */
    default void total(long total) {}

    /** {@code n} more units of the current step are done. */
    default void advance(long n) {}

    /**
     * Other output is about to be printed (a line, a question): whatever is shown is taken away
     * and stays away until the next {@link #phase} or {@link #advance}.
     */
    default void clear() {}

    /** {@link #phase} and {@link #total} at once. */
    default void phase(String what, long total) {
        phase(what);
        total(total);
    }
}
