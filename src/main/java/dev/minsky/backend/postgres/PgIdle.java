package dev.minsky.backend.postgres;

import java.lang.ref.WeakReference;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@code sessiondb.idleTimeout} (milliseconds, as the guide's pooling settings have it): a store's
 * connection left unused that long is closed, so that a long-running command (a doctor run, a big
 * import reading its file) does not hold one of the server's slots for nothing, and the next
 * statement gets a fresh connection instead of one a pooler or firewall has dropped meanwhile.
 * 0 keeps it open until the store is closed.
 */
final class PgIdle {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "minsky-pg-idle");
        t.setDaemon(true);
        return t;
    });

    private PgIdle() {}

    static boolean expired(long lastUsedNanos, long idleTimeoutMillis) {
        return idleTimeoutMillis > 0 && System.nanoTime() - lastUsedNanos > TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
    }

    /** Checks again once the timeout could have passed; the store is held weakly. */
    static void closeWhenIdle(PostgresSessionStore store, long idleTimeoutMillis, LongSupplier lastUsed) {
        if (idleTimeoutMillis <= 0) {
            return;
        }
        WeakReference<PostgresSessionStore> ref = new WeakReference<>(store);
        TIMER.schedule(() -> {
            PostgresSessionStore s = ref.get();
            if (s != null) {
                s.closeIfIdle();
            }
        }, idleTimeoutMillis + 10, TimeUnit.MILLISECONDS);
    }
}
