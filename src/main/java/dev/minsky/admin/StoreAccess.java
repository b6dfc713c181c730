package dev.minsky.admin;

import dev.minsky.MinskyException;
import dev.minsky.backup.Backups;
import dev.minsky.config.ConfigKey;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.StoreProvider;
import dev.minsky.store.Stores;
import java.util.List;

/** Small helpers the services share: a backend's settings, reading a whole store, backups. */
final class StoreAccess {
    private StoreAccess() {}

    /** The settings for one backend, everything else as configured; BAD_INPUT for an unknown backend. */
    static Settings forBackend(Settings s, String backend) {
        String id = ConfigKey.BACKEND.validate(backend);
        Stores.provider(id);
        return s.withBackend(id);
    }

    static String location(Settings s) {
        return Stores.provider(s).location(s);
    }

    /** Every record of the store; a missing store reads as empty and nothing is written. */
    static List<SessionRecord> readAll(Settings s) {
        try (SessionStore store = Stores.open(s, false)) {
            return store.list(SessionQuery.ALL);
        }
    }

    /** {@link #readAll}, counting the records read on the run's progress bar (a phase of its own). */
    static List<SessionRecord> readAll(AdminContext ctx, Settings s) {
        ctx.bar().phase("reading the " + s.backend() + " store");
        try (SessionStore store = Stores.open(s, false)) {
            return list(ctx, store);
        }
    }

    /** Every record of an open store, each one counted on the progress bar as it is read. */
    static List<SessionRecord> list(AdminContext ctx, SessionStore store) {
        if (ctx.bar() == dev.minsky.store.Progress.NONE) {
            return store.list(SessionQuery.ALL);
        }
        try {
            // the total, so the bar shows how far the read has got (a count is cheap next to reading every record)
            ctx.bar().total(store.count());
        } catch (RuntimeException e) {
            // the count failed: the read that follows says why; counted without a total meanwhile
        }
        List<SessionRecord> out = new java.util.ArrayList<>();
        store.each(SessionQuery.ALL, r -> {
            out.add(r);
            ctx.bar().advance(1);
        });
        return out;
    }

    /**
     * Takes a verified backup of these records unless there are none. Returns null when nothing
     * needed backing up.
     */
    static Backups.Backup backup(AdminContext ctx, List<SessionRecord> records, String why) {
        if (records.isEmpty()) {
            return null;
        }
        Backups.Backup b = Backups.write(ctx.settings(), records, ctx.clock(), ctx.bar());
        ctx.info("backup " + b.file() + " (" + dev.minsky.util.Plural.count(b.sessions(), "session") + ") before " + why);
        return b;
    }

    /** A MinskyException's exit code, or INTERNAL. */
    static int exitCodeOf(RuntimeException e) {
        return e instanceof MinskyException me ? me.exitCode() : dev.minsky.ExitCode.INTERNAL;
    }

    static StoreProvider provider(Settings s) {
        return Stores.provider(s);
    }

    /** After setting the backend in the user config: the layer (environment, flag) that still selects another one, if any. */
    static String overriddenBy(AdminContext ctx, String backend) {
        var v = dev.minsky.config.ConfigService.load(ctx.config().context()).get(ConfigKey.BACKEND);
        return v.isPresent() && !v.get().value().equals(backend) ? v.get().source() : null;
    }

    /** Serialises the sessiondb commands that change stores, across processes: {@code <state>/sessiondb-admin.lock}. */
    static final String ADMIN_LOCK = "sessiondb-admin.lock";
    private static final java.time.Duration ADMIN_LOCK_WAIT = java.time.Duration.ofSeconds(5);

    /** Runs a store-changing operation while holding the admin lock; exit 3 naming the lock when another holds it. */
    static <T> T locked(AdminContext ctx, java.util.function.Supplier<T> body) {
        java.nio.file.Path lock = ctx.settings().stateDir().resolve(ADMIN_LOCK);
        try (dev.minsky.util.FileLocks.Held held = dev.minsky.util.FileLocks.acquire(lock, ADMIN_LOCK_WAIT)) {
            return body.get();
        }
    }
}
