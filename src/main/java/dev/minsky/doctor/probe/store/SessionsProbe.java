package dev.minsky.doctor.probe.store;

import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionCensus;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import dev.minsky.store.WorkspaceCensus;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** It scans the SQL table once (only records whose workspace is not {@code <root>/<name>} are streamed); a JSON store is read whole. */
    @Override
    public Cost cost() {
        return Cost.EXPENSIVE;
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of("store.openSafe");
    }

    @Override
    public Set<String> produces() {
        return Set.of("perf.list.millis", "perf.get.millis", "store.sessionCount", "sessions.count",
                "sessions.olderThan7d", "sessions.olderThan90d", "sessions.olderThan90d.fraction", "sessions.oldestAgeDays", "workspaces.orphaned",
                "workspaces.orphaned.names", "workspaces.missing", "workspaces.missing.names");
    }

    /** {@link dev.minsky.store.StoreProvider#warmUpRead()} of this backend; true when it cannot say. */
    private static boolean warmUpRead(String backend) {
        try {
            return Stores.provider(backend).warmUpRead();
        } catch (RuntimeException | LinkageError e) {
            return true;
        }
    }

    @Override
    public void run(ProbeContext ctx) throws Exception {
        if (!ctx.isTrue("store.openSafe")) {
            ctx.skip("the store cannot be opened without changing it or failing (see the backend's facts)");
            return;
        }
        Instant now = ctx.clock().instant();
        try (SessionStore store = Stores.open(ctx.settings(), false)) {
            // The first call in a fresh JVM pays for class loading (10-25 ms measured here), which
            // would be reported as the store's latency: a one-record read goes first, untimed.
            // (Not where every read loads the whole store, the JSON file: that outweighs class loading by far.)
            if (warmUpRead(store.backend())) {
                store.list(new SessionQuery(null, 1, 0));
            }
            long t0 = System.nanoTime();
            List<SessionRecord> page = store.list(new SessionQuery(null, 50, 0));
            long t1 = System.nanoTime();
            store.get(page.isEmpty() ? "minsky-doctor-no-such-session" : page.get(0).session());
            long t2 = System.nanoTime();
            ctx.emit("perf.list.millis", millis(t1 - t0));
            ctx.emit("perf.get.millis", millis(t2 - t1));
            // counted, not read: COUNT and min over the createdAt index on SQL stores
            SessionCensus census = store.census(List.of(now.minus(Duration.ofDays(7)), now.minus(Duration.ofDays(90))));
            long n = census.count();
            ctx.emit("store.sessionCount", n);
            ctx.emit("sessions.count", n);
            long older7 = census.createdAtOrBefore().get(0);
            long older90 = census.createdAtOrBefore().get(1);
            ctx.emit("sessions.olderThan7d", older7);
            ctx.emit("sessions.olderThan90d", older90);
            if (n > 0) {
                ctx.emit("sessions.olderThan90d.fraction", (double) older90 / n);
            }
            if (census.oldest() != null) {
                long oldest = Duration.between(census.oldest(), now).toDays();
                if (oldest >= 0) {
                    ctx.emit("sessions.oldestAgeDays", oldest);
                }
            }
            workspaces(ctx, store);
        }
    }

    /** Milliseconds with a tenth of precision: a healthy store answers in well under one. */
    private static double millis(long nanos) {
        return Math.round(nanos / 100_000.0) / 10.0;
    }

    /** One entry of {@code <state>/sessions/}: whether it exists (links followed) and is a directory. */
    private static final class Entry {
        final boolean exists;
        final boolean directory;
        boolean hasRecord;

        Entry(boolean exists, boolean directory) {
            this.exists = exists;
            this.directory = directory;
        }
    }

    /**
     * The records' names and repoPaths, streamed, against one listing of {@code <state>/sessions/}:
     * memory grows with the directory, never with the store, and a repoPath of the usual form
     * ({@code <root>/<name>}) is looked up in the listing instead of costing a stat of its own.
     */
    private static void workspaces(ProbeContext ctx, SessionStore store) throws Exception {
        Path root = ctx.settings().workspacesDir().toAbsolutePath().normalize();
        Map<String, Entry> listing = new HashMap<>();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                for (Path d : entries) {
                    listing.put(d.getFileName().toString(), new Entry(Files.exists(d), Files.isDirectory(d)));
                }
            }
        }
        String prefix = root.toString().endsWith("/") ? root.toString() : root + "/";
        Map<String, Boolean> exists = new HashMap<>();
        listing.forEach((name, e) -> exists.put(name, e.exists));
        WorkspaceCensus census = store.workspaceCensus(new WorkspaceCensus.Tally(prefix, exists,
                (name, repoPath) -> gone(root, prefix, repoPath, listing), 20));
        for (String name : census.withRecord()) {
            listing.get(name).hasRecord = true;
        }
        ctx.emit("workspaces.missing", census.missing());
        if (census.missing() > 0) {
            ctx.emit("workspaces.missing.names", String.join(",", census.missingNames()));
        }
        List<String> orphaned = new ArrayList<>();
        for (Map.Entry<String, Entry> e : listing.entrySet()) {
            if (e.getValue().directory && !e.getValue().hasRecord) {
                orphaned.add(e.getKey());
            }
        }
        orphaned.sort(null);
        ctx.emit("workspaces.orphaned", (long) orphaned.size());
        if (!orphaned.isEmpty()) {
            ctx.emit("workspaces.orphaned.names", first20(orphaned));
        }
    }

    /** A repoPath under the workspaces root that does not exist. */
    private static boolean gone(Path root, String prefix, String repoPath, Map<String, Entry> listing) {
        String rel = repoPath.startsWith(prefix) ? repoPath.substring(prefix.length()) : null;
        if (rel != null && !rel.startsWith(".") && !rel.startsWith("/") && !rel.contains("/.") && !rel.contains("//")) {
            if (rel.isEmpty()) {
                return !Files.exists(root);
            }
            int slash = rel.indexOf('/');
            Entry top = listing.get(slash < 0 ? rel : rel.substring(0, slash));
            if (top == null || !top.exists) {
                return true;
            }
            return slash >= 0 && slash < rel.length() - 1 && !Files.exists(Path.of(repoPath));
        }
        Path p;
        try {
            p = Path.of(repoPath).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
        return p.startsWith(root) && !p.equals(root) && !Files.exists(p);
    }

    private static String first20(List<String> names) {
        return String.join(",", names.subList(0, Math.min(20, names.size())));
    }
}
