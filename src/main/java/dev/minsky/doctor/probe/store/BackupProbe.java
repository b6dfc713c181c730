package dev.minsky.doctor.probe.store;

import dev.minsky.backup.Backups;
import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The valid backups in {@code <state>/backups/} and the newest one's age and size. */
public final class BackupProbe implements Probe {
    @Override
    public String id() {
        return "backup";
    }

    @Override
    public Cost cost() {
        return Cost.MODERATE;
    }

    @Override
    public Set<String> produces() {
        return Set.of("backup.dir", "backup.count", "backup.newest.ageDays", "backup.newest.path", "backup.newest.sessions",
                "backup.fallback");
    }

    @Override
    public void run(ProbeContext ctx) {
        ctx.emit("backup.dir", Backups.dir(ctx.settings()).toString());
        List<Backups.Backup> all = Backups.list(ctx.settings());
        ctx.emit("backup.count", (long) all.size());
        if (all.isEmpty()) {
            // said in the text of the findings that would otherwise rely on one
            ctx.emit("backup.fallback", "no backup to fall back on");
            return;
        }
        Backups.Backup newest = all.get(0);
        ctx.emit("backup.fallback", "newest backup to fall back on: " + newest.file() + " (" + newest.sessions() + " sessions)");
        double days = Duration.between(newest.modified(), ctx.clock().instant()).toMinutes() / 1440.0;
        ctx.emit("backup.newest.ageDays", Math.round(Math.max(0, days) * 10) / 10.0);
        ctx.emit("backup.newest.path", newest.file().toString());
        ctx.emit("backup.newest.sessions", (long) newest.sessions());
    }
}
