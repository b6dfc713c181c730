package dev.minsky.doctor.probe.store;

import dev.minsky.admin.MigrationJournal;
import dev.minsky.config.Settings;
import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import dev.minsky.doctor.probe.json.JsonFileProbe;
import dev.minsky.doctor.probe.sqlite.SqliteFiles;
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

    private static final List<Kind> KINDS = List.of(
            new Kind("json", Settings.JSON_FILE, JsonFileProbe::countSessions),
            new Kind("sqlite", Settings.SQLITE_FILE, SqliteFiles::countSessions));

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
                "stores.other.bestPath", "stores.other.bestBackend", "stores.doubledPath", "stores.migrationIncomplete");
    }

    @Override
    public void run(ProbeContext ctx) {
        Settings s = ctx.settings();
        Path configured = configuredFile(s);
        List<Found> found = new ArrayList<>();
        boolean doubled = configured != null && doubled(configured) && Files.exists(configured);
        for (Path dir : candidateDirs(s)) {
            for (Kind k : KINDS) {
                Path p = dir.resolve(k.fileName()).toAbsolutePath().normalize();
                if (p.equals(configured) || !Files.isRegularFile(p)) {
                    continue;
                }
                found.add(new Found(p, k.backend(), k.counter().applyAsLong(p)));
                doubled |= doubled(p);
            }
        }
        ctx.emit("stores.doubledPath", doubled);
        new MigrationJournal(s.stateDir()).readQuietly()
                .ifPresentOrElse(e -> ctx.emit("stores.migrationIncomplete", e.incomplete()),
                        () -> ctx.emit("stores.migrationIncomplete", false));
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
    }

    /** The configured store's file, or null for a server backend. */
    static Path configuredFile(Settings s) {
        for (Kind k : KINDS) {
            if (k.backend().equals(s.backend())) {
                Path p = k.backend().equals("json") ? s.jsonPath() : s.sqlitePath();
                return p.toAbsolutePath().normalize();
            }
        }
        return null;
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
