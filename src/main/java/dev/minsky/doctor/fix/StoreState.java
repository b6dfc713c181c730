package dev.minsky.doctor.fix;

import dev.minsky.config.Settings;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.StoreProvider;
import dev.minsky.store.Stores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The configured store as the fixer sees it: its files on disk, and its records when readable. */
public final class StoreState {
    private StoreState() {}

    /**
     * The store's file and the sidecar files that belong with it (whether they exist or not), or
     * nothing for a store that is not a file (a server).
     */
    public static List<Path> files(Settings s) {
        String loc;
        List<String> companions;
        try {
            StoreProvider provider = Stores.provider(s);
            loc = provider.location(s);
            // files the backend keeps beside its store (SQLite: -wal, -shm, -journal): copied and
            // restored together with it so that no committed work is lost
            companions = provider.companionSuffixes();
        } catch (RuntimeException e) {
            return List.of();
        }
        if (loc == null || !loc.startsWith("/")) {
            return List.of();
        }
        Path file = Path.of(loc);
        List<Path> out = new ArrayList<>();
        out.add(file);
        for (String suffix : companions) {
            out.add(file.resolveSibling(file.getFileName() + suffix));
        }
        return out;
    }

    /**
     * The configured store, opened only to read: on SQLite through a connection whose close never
     * checkpoints a {@code -wal} (so that the fixer's own counts change nothing: a stale WAL is
     * checkpointed by its journaled step, never as a side effect of counting).
     */
    static SessionStore openForReading(Settings s) {
        return Stores.provider(s).openForReading(s);
    }

    /** Every record; throws when the store cannot be read. A missing store reads as empty. */
    public static List<SessionRecord> readAll(Settings s) {
        try (SessionStore store = openForReading(s)) {
            return store.list(SessionQuery.ALL);
        }
    }

    /** {@link #readAll(Settings)}, each record read counted on {@code progress} (the backup before a fix reads them all). */
    public static List<SessionRecord> readAll(Settings s, dev.minsky.store.Progress progress) {
        if (progress == dev.minsky.store.Progress.NONE) {
            return readAll(s);
        }
        progress.phase("reading the " + s.backend() + " store to back it up");
        try (SessionStore store = openForReading(s)) {
            List<SessionRecord> out = new ArrayList<>();
            store.each(SessionQuery.ALL, r -> {
                out.add(r);
                progress.advance(1);
            });
            return out;
        }
    }

    /** The session names, or null when the store cannot be read. */
    public static List<String> names(Settings s) {
        try {
            return readAll(s).stream().map(SessionRecord::session).toList();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** How many sessions the store holds, or -1 when it cannot be read. */
    public static long count(Settings s) {
        try (SessionStore store = openForReading(s)) {
            return store.count();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
