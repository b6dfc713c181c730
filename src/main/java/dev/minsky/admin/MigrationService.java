package dev.minsky.admin;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.backup.Backups;
import dev.minsky.config.ConfigKey;
import dev.minsky.config.ConfigService;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionStore;
import dev.minsky.store.StoreProvider;
import dev.minsky.store.Stores;
import java.util.ArrayList;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * {@code sessiondb migrate status} and {@code migrate to}: copies every record from the configured
 * store into another backend, verifies it record by record, and only then switches
 * {@code sessiondb.backend} in the user config. The source is never written.
 */
public final class MigrationService {
    private final AdminContext ctx;
    private final MigrationJournal journal;

    public MigrationService(AdminContext ctx) {
        this.ctx = ctx;
        this.journal = new MigrationJournal(ctx.settings().stateDir());
    }

    /**
     * One backend's store as seen by {@code migrate status}.
     *
     * @param exists null when it could not be found out (server unreachable, no connection string)
     * @param sessions null when the store does not exist or could not be read
     * @param schemaVersion null when unknown
     * @param error why the store could not be looked at (null when it could)
     */
    public record BackendStatus(String backend, String location, boolean configured, Boolean exists, Long sessions,
                                Integer schemaVersion, int currentSchemaVersion, String error) {}

    /**
     * @param backendSource the config layer that chose the backend
     * @param migration the latest journaled migration, or null
     * @param journalError why the journal could not be read, or null
     */
    public record Status(String backend, String location, String backendSource, List<BackendStatus> stores,
                         MigrationJournal.Entry migration, boolean migrationIncomplete, String journalFile,
                         String journalError) {}

    public Status status() {
        Settings s = ctx.settings();
        List<BackendStatus> stores = new ArrayList<>();
        for (StoreProvider p : Stores.providers()) {
            stores.add(look(p, s.withBackend(p.id()), p.id().equals(s.backend())));
        }
        MigrationJournal.Entry entry = null;
        String journalError = null;
        try {
            entry = journal.read().orElse(null);
        } catch (java.io.IOException e) {
            journalError = e.getMessage();
        }
        String source = ctx.config().get(ConfigKey.BACKEND).map(ConfigService.Value::source).orElse("default");
        return new Status(s.backend(), safeLocation(s), source, stores, entry, entry != null && entry.incomplete(),
                journal.file().toString(), journalError);
    }

    private static String safeLocation(Settings s) {
        try {
            return StoreAccess.location(s);
        } catch (RuntimeException e) {
            return "(not configured)";
        }
    }

    private static BackendStatus look(StoreProvider p, Settings s, boolean configured) {
        String location;
        try {
            location = p.location(s);
        } catch (RuntimeException e) {
            return new BackendStatus(p.id(), "(not configured)", configured, false, null, null, p.currentSchemaVersion(),
                    message(e));
        }
        boolean exists;
        try {
            exists = p.exists(s);
        } catch (RuntimeException e) {
            return new BackendStatus(p.id(), location, configured, null, null, null, p.currentSchemaVersion(), message(e));
        }
        if (!exists) {
            return new BackendStatus(p.id(), location, configured, false, null, null, p.currentSchemaVersion(), null);
        }
        try (SessionStore store = p.open(s, false)) {
            return new BackendStatus(p.id(), location, configured, true, store.count(), store.schemaVersion(),
                    p.currentSchemaVersion(), null);
        } catch (RuntimeException e) {
            return new BackendStatus(p.id(), location, configured, true, null, null, p.currentSchemaVersion(), message(e));
        }
    }

    static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * What a migration did, or with {@code dryRun} would do.
     *
     * @param overwrite sessions the target holds under the same name with other contents (replaced by the copy)
     * @param unchanged sessions the target already holds with the same contents
     * @param targetOnly sessions only in the target (kept)
     * @param comparison the record-by-record check after copying (null for a dry run)
     * @param overriddenBy the config layer that still selects another backend after the switch (env, flag), or null
     */
    public record Result(String from, String fromLocation, String to, String toLocation, int sessions, long targetBefore,
                         int overwrite, int unchanged, int targetOnly, boolean dryRun, Backups.Backup sourceBackup,
                         Backups.Backup targetBackup, RecordComparison comparison, boolean switched, String overriddenBy,
                         String journal, String resumedFrom) {}

    public Result migrate(String targetBackend, boolean dryRun) {
        if (dryRun) {
            return migrateLocked(targetBackend, true);
        }
        // session writes wait from before the source is read until after the switch: none lands in the old store unseen
        return StoreAccess.locked(ctx, () -> {
            try (dev.minsky.util.FileLocks.Held noWrites = dev.minsky.util.StoreSwitchLock.forSwitch(ctx.settings().stateDir())) {
                return migrateLocked(targetBackend, false);
            }
        });
    }

    private Result migrateLocked(String targetBackend, boolean dryRun) {
        Settings source = ctx.settings();
        Settings target = StoreAccess.forBackend(source, targetBackend);
        if (target.backend().equals(source.backend())) {
            MigrationJournal.Entry last = journal.readQuietly().orElse(null);
            if (!dryRun && last != null && target.backend().equals(last.to()) && last.from() != null
                    && !last.from().equals(last.to())) {
                // A rerun of a migration killed after the config switch (possibly before it could say so):
                // finish it from its journal instead of refusing a command that had already half-succeeded.
                return finish(last, target);
            }
            throw MinskyException.badInput("the configured backend is already " + source.backend(),
                    "name another backend: " + String.join(", ", Stores.providers().stream().map(StoreProvider::id)
                            .filter(id -> !id.equals(source.backend())).toList()));
        }
        String fromLoc = StoreAccess.location(source);
        String toLoc = StoreAccess.location(target);

        List<SessionRecord> records = StoreAccess.readAll(ctx, source);
        ctx.progress(records.size(), "read " + records.size() + " sessions from " + source.backend() + " (" + fromLoc + ")");

        // The target as digests only: with the source in memory too, 100,000 records would be held twice.
        Map<String, ByteBuffer> targetDigests;
        int targetBefore;
        try {
            List<SessionRecord> before = StoreAccess.readAll(ctx, target);
            targetBefore = before.size();
            targetDigests = RecordComparison.digests(before);
        } catch (RuntimeException e) {
            if (dryRun) {
                throw new MinskyException(ExitCode.INCOMPLETE, "the " + target.backend() + " store " + toLoc
                        + " cannot be read: " + message(e), "nothing was changed; 'minsky doctor --backend " + target.backend()
                        + "' explains why", e);
            }
            throw failed(source, target, null, e, StoreAccess.exitCodeOf(e) == ExitCode.BAD_INPUT ? ExitCode.BAD_INPUT : ExitCode.INCOMPLETE);
        }
        int overwrite = 0;
        int unchanged = 0;
        for (SessionRecord r : records) {
            ByteBuffer old = targetDigests.remove(r.session());
            if (old != null) {
                if (old.equals(RecordComparison.digest(r))) {
                    unchanged++;
                } else {
                    overwrite++;
                }
            }
        }
        int targetOnly = targetDigests.size();
        targetDigests = null;
        int n = records.size();
        if (dryRun) {
            return new Result(source.backend(), fromLoc, target.backend(), toLoc, n, targetBefore, overwrite,
                    unchanged, targetOnly, true, null, null, null, false, null, null, null);
        }

        Backups.Backup sourceBackup = StoreAccess.backup(ctx, records, "migrating " + source.backend() + " to " + target.backend());
        // The upsert changes only the target's records that differ from the source's; with none, it only adds.
        Backups.Backup targetBackup = overwrite == 0 ? null
                : StoreAccess.backup(ctx, StoreAccess.readAll(ctx, target), "migrating into the " + target.backend() + " store");
        ctx.info("migrate " + source.backend() + " (" + fromLoc + ") to " + target.backend() + " (" + toLoc + "): "
                + n + " sessions");
        MigrationJournal.Entry entry = journal.start(source.backend(), target.backend(), fromLoc, toLoc, n,
                sourceBackup == null ? null : sourceBackup.file().toString(), ctx.clock().instant());
        RecordComparison comparison;
        try {
            ctx.progress(n, "copying " + n + " sessions to " + target.backend() + " …");
            ctx.bar().phase("copying to " + target.backend(), n);
            try (SessionStore store = Stores.open(target, true)) {
                store.upsertAll(records, ctx.bar());
            }
            records = null;
            entry = journal.step(entry, MigrationJournal.COPIED, null, ctx.clock().instant());
            ctx.progress(n, "verifying " + n + " sessions record by record …");
            // Fresh reads of both sides: a session written to the source meanwhile shows up as missing.
            Map<String, ByteBuffer> sourceNow = RecordComparison.digests(StoreAccess.readAll(ctx, source));
            comparison = RecordComparison.of(sourceNow, StoreAccess.readAll(ctx, target));
            if (!comparison.allPresent()) {
                throw new MinskyException(ExitCode.INCOMPLETE, "verification failed: " + comparison.summary(), null);
            }
            entry = journal.step(entry, MigrationJournal.VERIFIED, null, ctx.clock().instant());
            ctx.config().set(ConfigKey.BACKEND, target.backend());
            entry = journal.step(entry, MigrationJournal.SWITCHED, null, ctx.clock().instant());
        } catch (RuntimeException e) {
            try {
                journal.step(entry, MigrationJournal.FAILED, message(e), ctx.clock().instant());
            } catch (RuntimeException journalFailed) {
                // the journal stays "started"/"copied", which status reports as unfinished: still true
            }
            throw failed(source, target, sourceBackup, e, ExitCode.INCOMPLETE);
        }
        ctx.info("migrated " + n + " sessions from " + source.backend() + " to " + target.backend()
                + "; verified (" + comparison.summary() + "); sessiondb.backend is now " + target.backend());
        return new Result(source.backend(), fromLoc, target.backend(), toLoc, n, targetBefore, overwrite,
                unchanged, targetOnly, false, sourceBackup, targetBackup, comparison, true, StoreAccess.overriddenBy(ctx, target.backend()),
                journal.file().toString(), null);
    }

    /**
     * The configured backend is already the journaled migration's target: the switch happened. What
     * may be left is the journal's last step (killed between the config write and the journal write),
     * so the source is compared with the target once more, sessions the target lacks are copied (never
     * overwriting: the target is the live store now), the target is verified and the journal closed.
     */
    private Result finish(MigrationJournal.Entry last, Settings target) {
        Settings source = StoreAccess.forBackend(target, last.from());
        String fromLoc = StoreAccess.location(source);
        String toLoc = StoreAccess.location(target);
        ctx.info("migrate to " + target.backend() + ": the configured backend already is " + target.backend()
                + "; finishing the journaled migration from " + source.backend() + " (stopped after '" + last.state() + "')");
        RecordComparison comparison;
        int copied = 0;
        long targetBefore;
        try {
            List<SessionRecord> targetRecords = StoreAccess.readAll(ctx, target);
            targetBefore = targetRecords.size();
            if (MigrationJournal.SWITCHED.equals(last.state())) {
                // Finished before: the target has lived on since, so sessions ended or deleted there are not
                // losses; the comparison is shown, not required, and a source that is gone since is no failure.
                RecordComparison c;
                try {
                    c = RecordComparison.of(RecordComparison.digests(StoreAccess.readAll(ctx, source)), targetRecords);
                } catch (RuntimeException sourceGone) {
                    c = null;
                }
                comparison = c;
            } else {
                List<SessionRecord> sourceRecords = StoreAccess.readAll(ctx, source);
                java.util.Set<String> present = new java.util.HashSet<>();
                targetRecords.forEach(r -> present.add(r.session()));
                List<SessionRecord> missing = sourceRecords.stream().filter(r -> !present.contains(r.session())).toList();
                if (!missing.isEmpty()) {
                    try (SessionStore store = Stores.open(target, true)) {
                        for (SessionRecord r : missing) {
                            store.insert(r);
                        }
                    }
                    copied = missing.size();
                }
                Map<String, ByteBuffer> sourceNow = RecordComparison.digests(sourceRecords);
                List<SessionRecord> targetNow = StoreAccess.readAll(ctx, target);
                // sessions changed in the target after the switch are its news, not a failed copy
                comparison = RecordComparison.of(sourceNow, targetNow);
                if (!comparison.missing().isEmpty()) {
                    throw new MinskyException(ExitCode.INCOMPLETE, "verification failed: " + comparison.summary(), null);
                }
            }
            dev.minsky.store.VerifyReport v = StoreAccess.provider(target).verify(target);
            if (!v.ok()) {
                throw new MinskyException(ExitCode.INCOMPLETE, "the " + target.backend() + " store does not verify: "
                        + String.join("; ", v.problems()), null);
            }
            if (!MigrationJournal.SWITCHED.equals(last.state())) {
                journal.step(last, MigrationJournal.SWITCHED, null, ctx.clock().instant());
            }
        } catch (RuntimeException e) {
            ctx.log().error("sessiondb", "finishing the migration from " + source.backend() + " to " + target.backend()
                    + " failed: " + message(e));
            throw new MinskyException(ExitCode.INCOMPLETE, "finishing the migration from " + source.backend() + " to "
                    + target.backend() + " failed: " + message(e),
                    "sessiondb.backend is already " + target.backend() + "; 'minsky doctor' explains, and 'minsky sessiondb migrate status'"
                            + " shows the journal; the " + source.backend() + " store (" + fromLoc + ") was not changed",
                    e instanceof MinskyException me && me.getCause() != null ? me.getCause() : null);
        }
        ctx.info("migration from " + source.backend() + " to " + target.backend() + " finished: " + copied
                + " sessions copied now" + (comparison == null ? "" : "; " + comparison.summary()));
        return new Result(source.backend(), fromLoc, target.backend(), toLoc, (int) last.sessions(), targetBefore, 0,
                0, 0, false, null, null, comparison, true, StoreAccess.overriddenBy(ctx, target.backend()),
                journal.file().toString(), last.state());
    }

    /** Nothing was switched: the message says so. Bad input found before anything started keeps exit 2. */
    private MinskyException failed(Settings source, Settings target, Backups.Backup backup, RuntimeException e, int exitCode) {
        ctx.log().error("sessiondb", "migration from " + source.backend() + " to " + target.backend() + " failed: " + message(e));
        return new MinskyException(exitCode,
                "migration from " + source.backend() + " to " + target.backend() + " failed: " + message(e),
                "the " + source.backend() + " store (" + StoreAccess.location(source) + ") is still in use and was not changed"
                        + (backup != null ? "; backup: " + backup.file() : "")
                        + "; fix the cause ('minsky doctor --backend " + target.backend() + "') and run the migration again",
                e instanceof MinskyException me && me.getCause() != null ? me.getCause() : null);
    }
}
