package dev.minsky.doctor.fix.store;

import dev.minsky.backup.Backups;
import dev.minsky.config.Settings;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.BuiltinAction;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;

/** {@code backup.create}: a verified export of the whole store into the backups directory. */
public final class BackupCreateAction extends BuiltinAction {
    public BackupCreateAction() {
        super("backup.create");
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        Settings s = ctx.settings();
        long n = ctx.number("sessions.count", ctx.number("store.sessionCount", -1));
        if (ctx.isFalse("store.exists")) {
            return ActionPlan.notApplicable("there is no store at the configured place to back up");
        }
        if (n == 0) {
            return ActionPlan.notApplicable("the store holds no session: an empty backup would only hide the useful ones");
        }
        if (unreadable(ctx)) {
            return ActionPlan.notApplicable("the store cannot be read as records; the fix that follows copies its files "
                    + "into the journal (verified) before changing anything");
        }
        return ActionPlan.builder()
                .change("write " + (n >= 0 ? "the " + dev.minsky.util.Plural.count(n, "session") : "every session") + " to " + s.backupsDir()
                        + "/sessions-<UTC time>.json (export format) and read it back to verify it")
                .build();
    }

    /** A backend's fact says the store cannot be read as records ({@link dev.minsky.store.StoreProvider#unreadableWhenFalse()}). */
    private static boolean unreadable(FixContext ctx) {
        for (dev.minsky.store.StoreProvider p : dev.minsky.store.Stores.providers()) {
            try {
                for (String fact : p.unreadableWhenFalse()) {
                    if (ctx.isFalse(fact)) {
                        return true;
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                // a plugin backend that cannot answer names no such fact
            }
        }
        return false;
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        Settings s = ctx.settings();
        try (SessionStore store = Stores.open(s, false)) {
            ctx.progress().phase("reading the " + s.backend() + " store to back it up");
            java.util.List<dev.minsky.model.SessionRecord> records = new java.util.ArrayList<>();
            store.each(dev.minsky.store.SessionQuery.ALL, r -> {
                records.add(r);
                ctx.progress().advance(1);
            });
            Backups.Backup b = Backups.write(s, records, ctx.clock(), ctx.progress());
            return new Applied("backup " + b.file() + " (" + dev.minsky.util.Plural.count(b.sessions(), "session") + ", verified)", b.sessions());
        }
    }
}
