package dev.minsky.doctor.probe.store;

import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Through the configured {@link SessionStore}, only when the backend's probes said opening it changes
 * nothing ({@code store.openSafe}): the latency of a list (limit 50) and a get, the session count and
 * age distribution, and the session workspaces under {@code <state>/sessions/} against the records.
 */
public final class SessionsProbe implements Probe {
    @Override
    public String id() {
        return "store.sessions";
    }

    @Override
    public Cost cost() {
        return Cost.MODERATE;
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of("store.openSafe");
    }

    @Override
    public Set<String> produces() {
        return Set.of("perf.list.millis", "perf.get.millis", "store.sessionCount", "sessions.count",
                "sessions.olderThan7d", "sessions.olderThan90d", "sessions.oldestAgeDays", "workspaces.orphaned",
                "workspaces.orphaned.names", "workspaces.missing", "workspaces.missing.names");
    }

    @Override
    public void run(ProbeContext ctx) throws Exception {
        if (!ctx.isTrue("store.openSafe")) {
            ctx.skip("the store cannot be opened without changing it or failing (see the backend's facts)");
            return;
        }
        List<SessionRecord> all;
        try (SessionStore store = Stores.open(ctx.settings(), false)) {
            long t0 = System.nanoTime();
            List<SessionRecord> page = store.list(new SessionQuery(null, 50, 0));
            long t1 = System.nanoTime();
            store.get(page.isEmpty() ? "minsky-doctor-no-such-session" : page.get(0).session());
            long t2 = System.nanoTime();
            ctx.emit("perf.list.millis", millis(t1 - t0));
            ctx.emit("perf.get.millis", millis(t2 - t1));
            all = store.list(SessionQuery.ALL);
        }
        long n = all.size();
        ctx.emit("store.sessionCount", n);
        ctx.emit("sessions.count", n);
        Instant now = ctx.clock().instant();
        long older7 = 0;
        long older90 = 0;
        long oldest = -1;
        for (SessionRecord r : all) {
            Instant created = r.createdInstant();
            if (created == null) {
                continue;
            }
            long days = Duration.between(created, now).toDays();
            if (days >= 7) {
                older7++;
            }
            if (days >= 90) {
                older90++;
            }
            oldest = Math.max(oldest, days);
        }
        ctx.emit("sessions.olderThan7d", older7);
        ctx.emit("sessions.olderThan90d", older90);
        if (oldest >= 0) {
            ctx.emit("sessions.oldestAgeDays", oldest);
        }
        workspaces(ctx, all);
    }

    /** Milliseconds with a tenth of precision: a healthy store answers in well under one. */
    private static double millis(long nanos) {
        return Math.round(nanos / 100_000.0) / 10.0;
    }

    private static void workspaces(ProbeContext ctx, List<SessionRecord> records) throws Exception {
        Path root = ctx.settings().workspacesDir().toAbsolutePath().normalize();
        Set<String> names = new HashSet<>();
        List<String> missing = new ArrayList<>();
        for (SessionRecord r : records) {
            names.add(r.session());
            String repoPath = r.repoPath();
            if (repoPath != null) {
                Path p = Path.of(repoPath).toAbsolutePath().normalize();
                if (p.startsWith(root) && !Files.exists(p)) {
                    missing.add(r.session());
                }
            }
        }
        ctx.emit("workspaces.missing", (long) missing.size());
        if (!missing.isEmpty()) {
            ctx.emit("workspaces.missing.names", first20(missing));
        }
        List<String> orphaned = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
                for (Path d : dirs) {
                    String name = d.getFileName().toString();
                    if (!names.contains(name)) {
                        orphaned.add(name);
                    }
                }
            }
        }
        orphaned.sort(null);
        ctx.emit("workspaces.orphaned", (long) orphaned.size());
        if (!orphaned.isEmpty()) {
            ctx.emit("workspaces.orphaned.names", first20(orphaned));
        }
    }

    private static String first20(List<String> names) {
        return String.join(",", names.subList(0, Math.min(20, names.size())));
    }
}
