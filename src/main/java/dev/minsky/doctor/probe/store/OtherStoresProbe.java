package dev.minsky.doctor.probe.store;

import dev.minsky.store.MigrationJournalFile;
import dev.minsky.store.StoreProvider;
import dev.minsky.store.Stores;
import dev.minsky.backup.Backups;
import dev.minsky.config.Settings;
import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Stores lying around besides the configured one, with how many sessions each holds: another
 * backend's file in the base or state directory, a doubled {@code minsky/minsky/} path, the default
 * location when {@code sessiondb.baseDir} points elsewhere. Split-brain and a misconfigured baseDir
 * are told apart by these counts.
 */
public final class OtherStoresProbe implements Probe {
    /** A file store kind: its backend, its file name, how to count its sessions. */
    private record Kind(String backend, String fileName, ToLongFunction<Path> counter) {}

    private static List<Kind> kinds() {
        List<Kind> out = new ArrayList<>();
        for (StoreProvider p : Stores.providers()) {
            try {
                String name = p.storeFileName();
                if (name != null) {
                    out.add(new Kind(p.id(), name, p::countSessions));
                }
            } catch (RuntimeException | LinkageError e) {
                // a plugin backend that cannot say its file name is not looked for
            }
        }
        return out;
    }

    /** A store found. */
    record Found(Path path, String backend, long sessions) {}

    @Override
    public String id() {
        return "store.others";
    }

    @Override
    public Cost cost() {
        return Cost.MODERATE;
    }

    @Override
    public Set<String> produces() {
        return Set.of("stores.other.count", "stores.other.paths", "stores.other.maxSessions",
                "stores.other.bestPath", "stores.other.bestBackend", "stores.doubledPath", "stores.migrationIncomplete", "stores.other.moreThanConfigured",
                "stores.counts", "store.tempFiles.count", "store.tempFiles.complete", "store.tempFiles.newest.path",
                "store.tempFiles.newest.sessions", "store.corruptCopies.count", "store.corruptCopies.maxSessions",
                "store.corruptCopies.bestPath", "store.corruptCopies.moreThanBackups", "migration.journal.state", "migration.journal.from", "migration.journal.to",
                "migration.journal.sessions", "migration.source.sessions", "migration.target.sessions", "migration.journal.path",
                "store.sessionsElsewhere", "store.sessionsElsewhere.where");
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of("store.sessionCount", "store.exists");
    }

    @Override
    public void run(ProbeContext ctx) {
        Settings s = ctx.settings();
        Path configured = configuredFile(s);
        List<Kind> kinds = kinds();
        List<Found> found = new ArrayList<>();
        boolean doubled = configured != null && doubled(configured) && Files.exists(configured);
        for (Path dir : candidateDirs(s)) {
            for (Kind k : kinds) {
                Path p = dir.resolve(k.fileName()).toAbsolutePath().normalize();
                if (p.equals(configured) || !Files.isRegularFile(p)) {
                    continue;
                }
                found.add(new Found(p, k.backend(), k.counter().applyAsLong(p)));
                doubled |= doubled(p);
            }
        }
        ctx.emit("stores.doubledPath", doubled);
        List<String> elsewhere = new ArrayList<>();
        MigrationJournalFile journal = new MigrationJournalFile(s.stateDir());
        journal.readQuietly().ifPresentOrElse(e -> {
            ctx.emit("stores.migrationIncomplete", e.incomplete());
            migration(ctx, s, journal, e);
        }, () -> ctx.emit("stores.migrationIncomplete", false));
        long inCopy = -1;
        if (configured != null) {
            Places.tempFiles(ctx, configured, elsewhere);
            inCopy = Places.corruptCopies(ctx, configured, Stores.provider(s)::countSessions, elsewhere);
        }
        List<Backups.Backup> allBackups = Backups.list(s);
        long backups = allBackups.stream().filter(b -> b.sessions() > 0).count();
        if (inCopy >= 0) {
            // which of the two places to restore from: the one that holds the most sessions
            long inBackup = allBackups.stream().mapToLong(Backups.Backup::sessions).max().orElse(0);
            ctx.emit("store.corruptCopies.moreThanBackups", inCopy > inBackup);
        }
        if (backups > 0) {
            elsewhere.add(backups + " backup(s) in " + Backups.dir(s));
        }
        for (Found f : found) {
            if (f.sessions() > 0) {
                elsewhere.add(f.path() + " (" + f.sessions() + " sessions)");
            }
        }
        ctx.emit("store.sessionsElsewhere", !elsewhere.isEmpty());
        if (!elsewhere.isEmpty()) {
            ctx.emit("store.sessionsElsewhere.where", String.join("; ", elsewhere));
        }
        ctx.emit("stores.other.count", (long) found.size());
        if (found.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        Found best = null;
        for (Found f : found) {
            parts.add(f.path() + (f.sessions() < 0 ? " (unreadable)" : " (" + f.sessions() + " sessions)"));
            if (best == null || f.sessions() > best.sessions()) {
                best = f;
            }
        }
        ctx.emit("stores.other.paths", String.join("; ", parts));
        ctx.emit("stores.other.maxSessions", Math.max(0, best.sessions()));
        ctx.emit("stores.other.bestPath", best.path().toString());
        ctx.emit("stores.other.bestBackend", best.backend());
        // the configured store's count: read through it, or none at all when its file is missing
        double configuredCount = ctx.number("store.sessionCount", ctx.isFalse("store.exists") ? 0 : -1);
        if (configuredCount >= 0) {
            ctx.emit("stores.other.moreThanConfigured", best.sessions() > configuredCount);
        }
        // every count by name, for the title of a split-brain finding
        ctx.emit("stores.counts", "the configured " + s.backend() + " store "
                + (configuredCount >= 0 ? "holds " + (long) configuredCount + " sessions" : "could not be counted")
                + ", " + best.path() + " holds " + Math.max(0, best.sessions()));
    }

    /**
     * The journal's migration: its state and the sessions each side holds now (file stores are
     * counted; a server's count is not read here).
     */
    private static void migration(ProbeContext ctx, Settings s, MigrationJournalFile journal, MigrationJournalFile.Entry e) {
        ctx.emit("migration.journal.path", journal.file().toString());
        if (e.state() != null) {
            ctx.emit("migration.journal.state", e.state());
        }
        if (e.from() != null) {
            ctx.emit("migration.journal.from", e.from());
        }
        if (e.to() != null) {
            ctx.emit("migration.journal.to", e.to());
        }
        if (e.sessions() >= 0) {
            ctx.emit("migration.journal.sessions", e.sessions());
        }
        long src = countAt(e.from(), e.fromLocation());
        long dst = countAt(e.to(), e.toLocation());
        if (src >= 0) {
            ctx.emit("migration.source.sessions", src);
        }
        if (dst >= 0) {
            ctx.emit("migration.target.sessions", dst);
        }
    }

    /** Sessions in a file store at a location, 0 when the file is not there, -1 when unknown (a server, unreadable). */
    private static long countAt(String backend, String location) {
        if (backend == null || location == null || !location.startsWith("/")) {
            return -1;
        }
        for (Kind k : kinds()) {
            if (k.backend().equals(backend)) {
                Path p = Path.of(location);
                return Files.exists(p) ? k.counter().applyAsLong(p) : 0;
            }
        }
        return -1;
    }

    /** The configured store's file, or null for a server backend. */
    static Path configuredFile(Settings s) {
        StoreProvider p;
        try {
            p = Stores.provider(s);
        } catch (RuntimeException e) {
            return null;
        }
        Path file = p.storeFileName() != null ? p.storeFile(s) : null;
        return file != null ? file.toAbsolutePath().normalize() : null;
    }

    static boolean doubled(Path p) {
        return p.toString().contains("/minsky/minsky/");
    }

    /** Where a store is commonly found by mistake, for these settings. */
    static Set<Path> candidateDirs(Settings s) {
        Set<Path> dirs = new LinkedHashSet<>();
        Path base = s.baseDir().toAbsolutePath().normalize();
        Path state = s.stateDir().toAbsolutePath().normalize();
        for (Path d : List.of(base, state, base.resolve("minsky"), state.resolve("minsky"))) {
            dirs.add(d);
        }
        if (base.getFileName() != null && base.getFileName().toString().equals("minsky") && base.getParent() != null
                && base.getParent().getFileName() != null && base.getParent().getFileName().toString().equals("minsky")) {
            dirs.add(base.getParent());
        }
        Path sqliteDir = s.sqlitePath().toAbsolutePath().normalize().getParent();
        if (sqliteDir != null) {
            dirs.add(sqliteDir);
        }
        return dirs;
    }
}
