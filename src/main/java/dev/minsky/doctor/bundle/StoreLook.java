package dev.minsky.doctor.bundle;

import dev.minsky.config.Settings;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Fact;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.StoreProvider;
import dev.minsky.store.Stores;
import dev.minsky.store.VerifyReport;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Store statistics and free space for the report: taken from the doctor's facts when the probes
 * made them, otherwise from a quick read-only look (open without create, count, schema version,
 * the provider's verify). Also reads the records, because their repo URLs may hold tokens the
 * sanitizer must know, and {@code --include-data} ships them (sanitized).
 *
 * @param stats what goes into the report's "Store" section (raw; sanitized later)
 * @param disk what goes into the "Free space" section (raw)
 * @param sessions the records, or an empty list when the store could not be read
 */
record StoreLook(Map<String, Object> stats, Map<String, Object> disk, List<SessionRecord> sessions) {

    static StoreLook take(Settings settings, DoctorReport report) {
        Map<String, Fact> facts = new LinkedHashMap<>();
        if (report.facts() != null) {
            report.facts().forEach(f -> facts.put(f.id(), f));
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("backend", settings.backend());
        List<SessionRecord> sessions = List.of();
        String lookError = null;
        Integer schema = null;
        Long count = null;
        StoreProvider provider = null;
        Fact connect = null;
        try {
            provider = Stores.provider(settings);
            connect = provider.connectionFact() == null ? null : facts.get(provider.connectionFact());
            stats.put("location", provider.location(settings));
            if (provider.storeFileName() == null && connect != null && !"ok".equals(connect.value())) {
                // the doctor already saw the server refuse us: do not wait for another timeout
                throw new IllegalStateException("the " + provider.displayName() + " server could not be reached (" + connect.value() + "), see the findings");
            }
            try (SessionStore store = provider.open(settings, false)) {
                sessions = store.list(SessionQuery.ALL);
                count = store.count();
                schema = store.schemaVersion();
            }
        } catch (RuntimeException e) {
            lookError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        Object factCount = first(facts, "sessions.count", "store.sessionCount");
        stats.put("sessions", factCount != null ? factCount : count);
        stats.put("sessionsSource", factCount != null ? "doctor facts" : count != null ? "read-only look" : "unavailable");
        // the backends' own facts (StoreProvider.schemaVersionFact() and the like): the configured one's first
        List<StoreProvider> backends = backendsFor(provider);
        Object factSchema = first(facts, factIds(backends, StoreProvider::schemaVersionFact));
        stats.put("schemaVersion", factSchema != null ? factSchema : schema);
        Object integrity = first(facts, factIds(backends, StoreProvider::integrityFact));
        if (integrity != null) {
            stats.put("integrity", Boolean.TRUE.equals(integrity) ? "ok" : "failed");
            stats.put("integrityDetail", first(facts, factIds(backends, StoreProvider::integrityDetailFact)));
            stats.put("integritySource", "doctor facts");
        } else if (provider != null && lookError == null) {
            try {
                VerifyReport v = provider.verify(settings);
                stats.put("integrity", v.ok() ? "ok" : "failed");
                stats.put("integrityDetail", v.problems().isEmpty() ? null : String.join("; ", v.problems()));
                stats.put("integritySource", "read-only verify");
            } catch (RuntimeException e) {
                stats.put("integrity", "unknown");
                stats.put("integrityDetail", e.getMessage());
                stats.put("integritySource", "read-only verify");
            }
        } else {
            stats.put("integrity", "unknown");
        }
        if (lookError != null) {
            stats.put("error", lookError);
        }
        return new StoreLook(stats, disk(settings, facts), sessions);
    }

    /**
     * Records of the other file stores that exist (the JSON and SQLite files at their configured
     * or default places), read only to learn the tokens in their repo URLs: a broken config may
     * point minsky away from the store the user really has.
     */
    static List<SessionRecord> otherStores(Settings settings) {
        List<SessionRecord> out = new java.util.ArrayList<>();
        for (StoreProvider p : Stores.providers()) {
            if (p.id().equals(settings.backend()) || p.storeFileName() == null) {
                continue;
            }
            Settings s = settings.withBackend(p.id());
            try {
                if (p.exists(s)) {
                    try (SessionStore store = p.open(s, false)) {
                        out.addAll(store.list(SessionQuery.ALL));
                    }
                }
            } catch (RuntimeException e) {
                // unreadable: it cannot reach the bundle either
            }
        }
        return out;
    }

    /** The configured backend's provider (when known) then every other one. */
    private static List<StoreProvider> backendsFor(StoreProvider configured) {
        List<StoreProvider> out = new java.util.ArrayList<>();
        if (configured != null) {
            out.add(configured);
        }
        Stores.providers().stream().filter(p -> p != configured).forEach(out::add);
        return out;
    }

    /** The fact ids these backends name for one purpose, in order, nulls left out. */
    private static String[] factIds(List<StoreProvider> backends, java.util.function.Function<StoreProvider, String> which) {
        List<String> ids = new java.util.ArrayList<>();
        for (StoreProvider p : backends) {
            try {
                String id = which.apply(p);
                if (id != null) {
                    ids.add(id);
                }
            } catch (RuntimeException | LinkageError e) {
                // a plugin backend that cannot answer names no fact
            }
        }
        return ids.toArray(String[]::new);
    }

    private static Object first(Map<String, Fact> facts, String... ids) {
        for (String id : ids) {
            Fact f = facts.get(id);
            if (f != null) {
                return f.value();
            }
        }
        return null;
    }

    private static Map<String, Object> disk(Settings settings, Map<String, Fact> facts) {
        Map<String, Object> d = new LinkedHashMap<>();
        Path storeFile = null;
        try {
            StoreProvider p = Stores.provider(settings);
            storeFile = p.storeFileName() != null ? p.storeFile(settings) : null;
        } catch (RuntimeException e) {
            // an unknown backend: its state directory is what the disk figures are about
        }
        if (storeFile == null) {
            storeFile = settings.stateDir();
        }
        d.put("path", storeFile.toString());
        Object free = first(facts, "fs.freeBytes");
        Object total = first(facts, "fs.totalBytes");
        if (free instanceof Number && total instanceof Number) {
            d.put("freeBytes", free);
            d.put("totalBytes", total);
            d.put("fsType", first(facts, "fs.type"));
            d.put("mountPoint", first(facts, "fs.mountPoint"));
            d.put("readOnly", first(facts, "fs.readonly"));
            d.put("source", "doctor facts");
        } else {
            Path p = storeFile.toAbsolutePath();
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            if (p == null) {
                d.put("error", "no existing directory on the way to the store");
                return d;
            }
            try {
                FileStore fs = Files.getFileStore(p);
                d.put("freeBytes", fs.getUsableSpace());
                d.put("totalBytes", fs.getTotalSpace());
                d.put("fsType", fs.type());
                d.put("readOnly", fs.isReadOnly());
                d.put("source", "file system of " + p);
            } catch (IOException e) {
                d.put("error", e.getMessage());
            }
        }
        if (d.get("freeBytes") instanceof Number f && d.get("totalBytes") instanceof Number t) {
            d.put("free", human(f.longValue()));
            d.put("total", human(t.longValue()));
        }
        return d;
    }

    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int i = 0;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return i == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
