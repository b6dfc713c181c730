package dev.minsky.admin;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.backup.Backups;
import dev.minsky.config.ConfigKey;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionStore;
import dev.minsky.store.StoreProvider;
import java.util.List;

/** {@code sessiondb init} and {@code sessiondb reset}: creating and re-creating a backend's store. */
public final class StoreLifecycle {
    private final AdminContext ctx;

    public StoreLifecycle(AdminContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param existed a store was there before
     * @param sessions sessions in the store after init
     * @param backup the backup taken first (--force on a store with data), or null
     * @param overriddenBy a config layer (environment, flag) that still selects another backend, or null
     */
    public record InitResult(String backend, String location, boolean existed, long sessions, int schemaVersion,
                             Backups.Backup backup, String overriddenBy) {}

    public InitResult init(boolean force) {
        return StoreAccess.locked(ctx, () -> initLocked(force));
    }

    private InitResult initLocked(boolean force) {
        Settings s = ctx.settings();
        StoreProvider p = StoreAccess.provider(s);
        String loc = p.location(s);
        boolean existed = p.exists(s);
        Backups.Backup backup = null;
        if (existed) {
            List<SessionRecord> records = StoreAccess.readAll(ctx, s);
            if (!records.isEmpty()) {
                if (!force) {
                    throw MinskyException.badInput("the " + s.backend() + " store " + loc + " already exists and holds "
                                    + records.size() + " session" + (records.size() == 1 ? "" : "s") + "; nothing was changed",
                            "to use it as it is: minsky config set sessiondb.backend " + s.backend()
                                    + "; to initialise it again after a verified backup: add --force");
                }
                backup = StoreAccess.backup(ctx, records, "init --force of the " + s.backend() + " store");
            }
        }
        p.init(s);
        long count;
        int version;
        try (SessionStore store = p.open(s, false)) {
            count = store.count();
            version = store.schemaVersion();
        }
        ctx.config().set(ConfigKey.BACKEND, s.backend());
        ctx.info("init " + s.backend() + " store " + loc + (existed ? " (existed, " + count + " sessions)" : " (new)")
                + (backup != null ? "; backup " + backup.file() : "") + "; sessiondb.backend set to " + s.backend());
        return new InitResult(s.backend(), loc, existed, count, version, backup, StoreAccess.overriddenBy(ctx, s.backend()));
    }

    /**
     * @param sessions sessions the store held (and the backup holds)
     * @param backup the verified backup, or null when the store was empty
     */
    public record ResetResult(String backend, String location, long sessions, Backups.Backup backup) {}

    public ResetResult reset(boolean force) {
        // without --force it only reads and refuses: no lock file is created for that
        return force ? StoreAccess.locked(ctx, () -> resetLocked(true)) : resetLocked(false);
    }

    private ResetResult resetLocked(boolean force) {
        Settings s = ctx.settings();
        StoreProvider p = StoreAccess.provider(s);
        String loc = p.location(s);
        boolean exists = p.exists(s);
        List<SessionRecord> records;
        try {
            records = exists ? StoreAccess.readAll(ctx, s) : List.of();
        } catch (RuntimeException e) {
            if (!force) {
                throw MinskyException.badInput("reset would delete the " + s.backend() + " store " + loc
                                + ", which cannot be read (" + MigrationService.message(e) + "); nothing was changed",
                        "it cannot be backed up as it is: try 'minsky sessiondb recover --auto --backup-first' first");
            }
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot back up the " + s.backend() + " store " + loc
                    + " before resetting it: " + MigrationService.message(e) + "; nothing was deleted",
                    "run 'minsky sessiondb recover --auto --backup-first' (it keeps the damaged original), or 'minsky doctor'", e);
        }
        if (!force) {
            throw MinskyException.badInput("reset would delete the " + s.backend() + " store " + loc
                            + (exists ? " holding " + records.size() + " session" + (records.size() == 1 ? "" : "s") : " (it does not exist yet)")
                            + " and create an empty one; nothing was changed",
                    "run again with --force; a verified backup is taken first and its path printed");
        }
        Backups.Backup backup = StoreAccess.backup(ctx, records, "reset of the " + s.backend() + " store");
        p.destroy(s);
        p.init(s);
        ctx.info("reset " + s.backend() + " store " + loc + " (" + records.size() + " sessions removed"
                + (backup != null ? ", backup " + backup.file() : "") + ")");
        return new ResetResult(s.backend(), loc, records.size(), backup);
    }
}
