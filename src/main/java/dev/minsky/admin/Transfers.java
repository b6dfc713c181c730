package dev.minsky.admin;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.backup.Backups;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.RepairReport;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import dev.minsky.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sessiondb export}, {@code import} and {@code restore}. All three use the one format: a
 * JSON array of records, exactly the JSON backend's file (the legacy {@code {"sessions": [...]}}
 * object is read too). A file is validated completely before anything is written.
 */
public final class Transfers {
    private final AdminContext ctx;

    public Transfers(AdminContext ctx) {
        this.ctx = ctx;
    }

    /** Writes the configured store as an export document to {@code out} (left open). */
    public void export(java.io.OutputStream out) {
        List<SessionRecord> records = StoreAccess.readAll(ctx, ctx.settings());
        ctx.progress(records.size(), "exporting " + dev.minsky.util.Plural.count(records.size(), "session"));
        ctx.bar().phase("exporting", records.size());
        SessionJson.writeTo(out, sink -> records.forEach(r -> {
            sink.accept(r);
            ctx.bar().advance(1);
        }));
    }

    /** Writes the export to a file atomically; returns how many sessions it holds. */
    public int exportTo(Path file) {
        List<SessionRecord> records = StoreAccess.readAll(ctx, ctx.settings());
        ctx.bar().phase("writing " + dev.minsky.util.Plural.count(records.size(), "session") + " to " + file);
        try {
            AtomicFiles.write(file.toAbsolutePath(), SessionJson.write(records), "rw-------");
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot write " + file + ": " + e.getMessage(),
                    "check that the directory exists and is writable");
        }
        ctx.info("exported " + dev.minsky.util.Plural.count(records.size(), "session") + " to " + file.toAbsolutePath());
        return records.size();
    }

    /**
     * @param added sessions that were not in the store
     * @param updated sessions that replaced one of the same name with other contents
     * @param unchanged sessions the store already held as they are
     * @param removed sessions removed because the file did not hold them (--replace only)
     * @param backup the backup taken first, or null when the store was empty
     */
    public record ImportResult(String backend, String location, int inFile, int added, int updated, int unchanged,
                               int removed, long sessionsAfter, Backups.Backup backup) {}

    public ImportResult importFile(Path file, boolean replace) {
        // validated before the lock, so that a bad file changes nothing at all
        ctx.bar().phase("reading and checking " + file);
        List<SessionRecord> records = SessionJson.parseFile(file, ctx.bar()::total, ctx.bar()::advance);
        return StoreAccess.locked(ctx, () -> importLocked(file, records, replace));
    }

    private ImportResult importLocked(Path file, List<SessionRecord> records, boolean replace) {
        Settings s = ctx.settings();
        String loc = StoreAccess.location(s);
        ctx.progress(records.size(), "importing " + dev.minsky.util.Plural.count(records.size(), "session") + " into " + s.backend() + " (" + loc + ")");
        try (SessionStore store = Stores.open(s, true)) {
            ctx.bar().phase("reading the " + s.backend() + " store");
            List<SessionRecord> existing = StoreAccess.list(ctx, store);
            Map<String, SessionRecord> byName = new HashMap<>(existing.size() * 2);
            existing.forEach(r -> byName.put(r.session(), r));
            int added = 0;
            int updated = 0;
            int unchanged = 0;
            for (SessionRecord r : records) {
                SessionRecord old = byName.remove(r.session());
                if (old == null) {
                    added++;
                } else if (RecordComparison.sameContents(old, r)) {
                    unchanged++;
                } else {
                    updated++;
                }
            }
            int removed = replace ? byName.size() : 0;
            Backups.Backup backup = StoreAccess.backup(ctx, existing, "import of " + file.toAbsolutePath());
            ctx.bar().phase("importing into " + s.backend(), records.size());
            if (replace) {
                store.replaceAll(records, ctx.bar());
            } else {
                store.upsertAll(records, ctx.bar());
            }
            ctx.bar().phase("counting the sessions of the " + s.backend() + " store");
            // One transaction wrote it all or nothing; the count shows which, without reading 100,000
            // records back (restore and migrate do compare record by record).
            long after = store.count();
            long expected = replace ? records.size() : existing.size() + added;
            if (after != expected) {
                throw new MinskyException(ExitCode.INCOMPLETE, "the import could not be verified: the store holds " + after
                        + " sessions, expected " + expected,
                        backup == null ? "run 'minsky sessiondb verify'"
                                : "the store before the import is in " + backup.file() + "; 'minsky sessiondb restore --backup "
                                + backup.file() + " --to " + s.backend() + "' puts it back");
            }
            ctx.info("imported " + file.toAbsolutePath() + " into " + s.backend() + " (" + loc + "): " + added + " added, "
                    + updated + " updated, " + unchanged + " unchanged" + (replace ? ", " + removed + " removed" : "")
                    + (backup != null ? "; backup " + backup.file() : ""));
            return new ImportResult(s.backend(), loc, records.size(), added, updated, unchanged, removed, after, backup);
        }
    }

    /**
     * @param file the backup restored
     * @param sessionsBefore sessions the target held before
     * @param backup the backup of the target taken first, or null when it was empty
     * @param configured true when the target is the configured backend
     * @param damagedOriginal where a store that could not be read was kept before the restore, or null
     */
    public record RestoreResult(Path file, String backend, String location, int sessions, long sessionsBefore,
                                Backups.Backup backup, boolean configured, Path damagedOriginal) {}

    /** Resolves the guide's {@code backups/latest.json} (or the word {@code latest}) to the newest valid backup. */
    public Path resolveBackup(String given) {
        Path p = Path.of(given);
        boolean latest = given.equals("latest") || (p.getFileName() != null && p.getFileName().toString().equals("latest.json")
                && !Files.exists(p));
        if (!latest) {
            return p;
        }
        return Backups.newest(ctx.settings()).map(Backups.Backup::file).orElseThrow(() -> MinskyException.badInput(
                "there is no valid backup in " + Backups.dir(ctx.settings()),
                "give the path of an export with --backup FILE"));
    }

    public RestoreResult restore(Path file, String backend) {
        ctx.bar().phase("reading and checking " + file);
        List<SessionRecord> records = SessionJson.parseFile(file, ctx.bar()::total, ctx.bar()::advance);
        return StoreAccess.locked(ctx, () -> restoreLocked(file, records, backend));
    }

    private RestoreResult restoreLocked(Path file, List<SessionRecord> records, String backend) {
        Settings target = backend == null ? ctx.settings() : StoreAccess.forBackend(ctx.settings(), backend);
        String loc = StoreAccess.location(target);
        RepairReport kept = null;
        List<SessionRecord> existing;
        try {
            existing = StoreAccess.readAll(ctx, target);
        } catch (MinskyException e) {
            if (!(e instanceof dev.minsky.StoreUnreadable) && e.exitCode() != ExitCode.BAD_INPUT) {
                throw e;
            }
            // The guide restores over a store that no longer parses. Its provider's repair keeps the
            // damaged original beside it and leaves what can be read, which is backed up below.
            ctx.bar().phase("repairing the " + target.backend() + " store");
            kept = StoreAccess.provider(target).repair(target, ctx.clock(), ctx.bar());
            ctx.info("restore: the " + target.backend() + " store " + loc + " could not be read (" + e.getMessage() + "); "
                    + (kept.original() != null ? "damaged original kept at " + kept.original() : "repair: " + kept.method()));
            existing = StoreAccess.readAll(ctx, target);
        }
        try (SessionStore store = Stores.open(target, true)) {
            Backups.Backup backup = StoreAccess.backup(ctx, existing, "restore of " + file.toAbsolutePath());
            ctx.bar().phase("restoring into " + target.backend(), records.size());
            store.replaceAll(records, ctx.bar());
            ctx.bar().phase("reading the " + target.backend() + " store back to compare");
            RecordComparison check = RecordComparison.of(records, StoreAccess.list(ctx, store));
            if (!check.identical()) {
                throw new MinskyException(ExitCode.INCOMPLETE, "the restored store does not match " + file + ": " + check.summary(),
                        backup == null ? "run 'minsky sessiondb verify'" : "the store before the restore is in " + backup.file());
            }
            ctx.info("restored " + dev.minsky.util.Plural.count(records.size(), "session") + " from " + file.toAbsolutePath() + " into " + target.backend()
                    + " (" + loc + ")" + (backup != null ? "; backup of what it held: " + backup.file() : ""));
            return new RestoreResult(file.toAbsolutePath(), target.backend(), loc, records.size(), existing.size(), backup,
                    target.backend().equals(ctx.config().settingsLenient().backend()), kept == null ? null : kept.original());
        }
    }

}
