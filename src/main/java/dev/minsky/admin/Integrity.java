package dev.minsky.admin;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.backup.Backups;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.RepairReport;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.StoreProvider;
import dev.minsky.store.Stores;
import dev.minsky.store.VerifyReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code sessiondb verify}, {@code repair} and {@code recover}: checking and mending the store. */
public final class Integrity {
    private final AdminContext ctx;

    public Integrity(AdminContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param before the first check
     * @param repair what the repair did (null when none ran)
     * @param after the check after the repair (null when none ran)
     * @param backup the backup taken before the repair, or null
     * @param backupNote why no backup could be taken, or null
     */
    public record CheckResult(String backend, String location, VerifyReport before, RepairReport repair, VerifyReport after,
                              Backups.Backup backup, String backupNote) {
        public boolean ok() {
            return after != null ? after.ok() : before.ok();
        }
    }

    /** Verifies the configured store; with {@code repair}, a damaged one is repaired after a backup and checked again. */
    public CheckResult verify(boolean repair) {
        Settings s = ctx.settings();
        StoreProvider p = StoreAccess.provider(s);
        VerifyReport verified;
        try {
            ctx.bar().phase("verifying the " + s.backend() + " store");
            verified = p.verify(s, ctx.bar());
        } catch (MinskyException e) {
            // a store that cannot be reached is what verify reports (exit 1), as the doctor does;
            // a repair of it cannot start, so with --repair it stays "could not complete"
            if (repair || e.exitCode() != dev.minsky.ExitCode.INCOMPLETE) {
                throw e;
            }
            verified = new VerifyReport(false, -1, List.of(e.getMessage()));
        }
        VerifyReport before = verified;
        ctx.info("verify " + s.backend() + " store " + p.location(s) + ": " + (before.ok() ? "ok" : String.join("; ", before.problems())));
        if (before.ok() || !repair) {
            return new CheckResult(s.backend(), p.location(s), before, null, null, null, null);
        }
        return StoreAccess.locked(ctx, () -> repairAfterBackup(s, p, before));
    }

    /** {@code repair --auto-recover}: like {@code verify --repair}; without autoRecover only reports. */
    public CheckResult repair(boolean autoRecover) {
        return verify(autoRecover);
    }

    private CheckResult repairAfterBackup(Settings s, StoreProvider p, VerifyReport before) {
        Backups.Backup backup = null;
        String note = null;
        try {
            backup = StoreAccess.backup(ctx, StoreAccess.readAll(ctx, s), "repair of the " + s.backend() + " store");
            if (backup == null) {
                note = "nothing could be read to back up (the repair keeps the damaged original beside the store)";
            }
        } catch (RuntimeException e) {
            note = "the store could not be read for a backup (" + MigrationService.message(e)
                    + "); the repair keeps the damaged original beside the store";
        }
        ctx.bar().phase("repairing the " + s.backend() + " store");
        RepairReport rr = p.repair(s, ctx.clock(), ctx.bar());
        ctx.bar().phase("verifying the repaired " + s.backend() + " store");
        VerifyReport after = p.verify(s, ctx.bar());
        ctx.info("repair " + s.backend() + " store " + p.location(s) + " by " + rr.method() + ": " + rr.sessionsBefore()
                + " readable before, " + rr.sessionsAfter() + " after" + (rr.original() != null ? "; original kept at " + rr.original() : "")
                + "; verify after: " + (after.ok() ? "ok" : String.join("; ", after.problems())));
        return new CheckResult(s.backend(), p.location(s), before, rr, after, backup, note);
    }

    /**
     * What {@code recover} did.
     *
     * @param sessionsBefore sessions readable before (-1 when none could be read)
     * @param sessionsAfter sessions in the store at the end (-1 when it still cannot be read)
     * @param actions what was done, in order, one line each
     * @param restoredFrom the backup restored, or null
     * @param ok the store verifies at the end
     */
    public record RecoverResult(String backend, String location, long sessionsBefore, long sessionsAfter, List<String> actions,
                                Backups.Backup backup, Backups.Backup restoredFrom, boolean ok, boolean changed) {}

    /**
     * The guide's emergency path. Backs up whatever can be read and verifies; with {@code auto}, a
     * damaged store is repaired, and when the repair fails or loses sessions the newest valid backup
     * holding more is restored, with the sessions only the repaired store holds added back on top.
     */
    public RecoverResult recover(boolean auto) {
        return StoreAccess.locked(ctx, () -> recoverLocked(auto));
    }

    private RecoverResult recoverLocked(boolean auto) {
        Settings s = ctx.settings();
        StoreProvider p = StoreAccess.provider(s);
        String loc = p.location(s);
        List<String> actions = new ArrayList<>();

        List<SessionRecord> readable = null;
        Backups.Backup backup = null;
        try {
            readable = StoreAccess.readAll(ctx, s);
            backup = StoreAccess.backup(ctx, readable, "recover of the " + s.backend() + " store");
            actions.add(backup != null ? "backed up " + backup.sessions() + " readable sessions to " + backup.file()
                    : "nothing to back up: the store holds no sessions");
        } catch (RuntimeException e) {
            actions.add("the store could not be read for a backup: " + MigrationService.message(e));
        }
        ctx.bar().phase("verifying the " + s.backend() + " store");
        VerifyReport first = p.verify(s, ctx.bar());
        long before = readable != null ? readable.size() : first.sessions();
        actions.add("verify: " + (first.ok() ? "ok, " + dev.minsky.util.Plural.count(first.sessions(), "session") : String.join("; ", first.problems())));
        if (first.ok()) {
            long healthyCount = first.sessions();
            Backups.Backup taken = backup;
            Backups.list(s).stream().filter(b -> (taken == null || !b.file().equals(taken.file())) && b.sessions() > healthyCount)
                    .findFirst()
                    .ifPresent(b -> actions.add("note: " + b.file() + " holds " + dev.minsky.util.Plural.count(b.sessions(), "session") + ", the store "
                            + healthyCount + "; if sessions are missing: minsky sessiondb restore --backup " + b.file()));
            ctx.info("recover " + s.backend() + " store " + loc + ": healthy, nothing to do");
            return new RecoverResult(s.backend(), loc, before, first.sessions(), actions, backup, null, true, false);
        }
        if (!auto) {
            actions.add("nothing changed: run with --auto to repair (and restore from a backup if the repair loses sessions)");
            return new RecoverResult(s.backend(), loc, before, before, actions, backup, null, false, false);
        }

        RepairReport rr = null;
        VerifyReport afterRepair = null;
        try {
            ctx.bar().phase("repairing the " + s.backend() + " store");
            rr = p.repair(s, ctx.clock(), ctx.bar());
            ctx.bar().phase("verifying the repaired " + s.backend() + " store");
            afterRepair = p.verify(s, ctx.bar());
            actions.add("repaired by " + rr.method() + ": " + dev.minsky.util.Plural.count(rr.sessionsBefore(), "session") + " readable before, "
                    + rr.sessionsAfter() + " after" + (rr.original() != null ? "; damaged original kept at " + rr.original() : "")
                    + "; verify: " + (afterRepair.ok() ? "ok" : String.join("; ", afterRepair.problems())));
        } catch (RuntimeException e) {
            actions.add("repair failed: " + MigrationService.message(e));
        }
        boolean repaired = afterRepair != null && afterRepair.ok();
        long have = repaired ? afterRepair.sessions() : 0;
        // A backup holding more than the repaired store means sessions were lost (a truncated file
        // loses its tail, a damaged page its rows): bring them back, keeping what the repair found.
        Backups.Backup thisRun = backup;
        Optional<Backups.Backup> candidate = Backups.list(s).stream()
                .filter(b -> thisRun == null || !b.file().equals(thisRun.file()))
                .filter(b -> b.sessions() > have)
                .findFirst();
        if (candidate.isEmpty()) {
            if (repaired) {
                ctx.info("recover " + s.backend() + " store " + loc + ": " + String.join("; ", actions));
                return new RecoverResult(s.backend(), loc, before, have, actions, backup, null, true, true);
            }
            actions.add("no backup holds more than " + dev.minsky.util.Plural.count(have, "session") + ": nothing restored");
            ctx.log().warn("sessiondb", "recover " + s.backend() + " store " + loc + ": " + String.join("; ", actions));
            return new RecoverResult(s.backend(), loc, before, -1, actions, backup, null, false, rr != null);
        }
        Backups.Backup from = candidate.get();
        Map<String, SessionRecord> merged = new LinkedHashMap<>();
        ctx.bar().phase("reading the backup " + from.file());
        dev.minsky.model.SessionJson.parseFile(from.file(), ctx.bar()::total, ctx.bar()::advance).forEach(r -> merged.put(r.session(), r));
        int kept = 0;
        if (repaired) {
            for (SessionRecord r : StoreAccess.readAll(ctx, s)) {
                if (merged.put(r.session(), r) == null) {
                    kept++;
                }
            }
        }
        List<SessionRecord> target = new ArrayList<>(merged.values());
        try (SessionStore store = Stores.open(s, true)) {
            ctx.bar().phase("restoring", target.size());
            store.replaceAll(target, ctx.bar());
            ctx.bar().phase("reading the store back to compare");
            RecordComparison check = RecordComparison.of(target, StoreAccess.list(ctx, store));
            if (!check.identical()) {
                throw new MinskyException(ExitCode.INCOMPLETE, "the restored store does not match: " + check.summary(), null);
            }
        } catch (RuntimeException e) {
            actions.add("restoring " + from.file() + " failed: " + MigrationService.message(e));
            ctx.log().error("sessiondb", "recover " + s.backend() + " store " + loc + ": " + String.join("; ", actions));
            throw new MinskyException(ExitCode.INCOMPLETE, "recovery could not complete: " + String.join("; ", actions),
                    "the newest backup holding more sessions is " + from.file() + "; 'minsky doctor' explains what blocks the store",
                    e);
        }
        actions.add("restored " + dev.minsky.util.Plural.count(from.sessions(), "session") + " from " + from.file()
                + (kept > 0 ? " and kept " + dev.minsky.util.Plural.count(kept, "session") + " only the repaired store held" : ""));
        ctx.bar().phase("verifying the " + s.backend() + " store");
        VerifyReport last = p.verify(s, ctx.bar());
        actions.add("verify: " + (last.ok() ? "ok, " + dev.minsky.util.Plural.count(last.sessions(), "session") : String.join("; ", last.problems())));
        ctx.info("recover " + s.backend() + " store " + loc + ": " + String.join("; ", actions));
        return new RecoverResult(s.backend(), loc, before, target.size(), actions, backup, from, last.ok(), true);
    }
}
