package dev.minsky.store;

import dev.minsky.config.Settings;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds and opens one backend's store. Implementations are found with {@link java.util.ServiceLoader},
 * so a plugin jar can add a backend without touching core code.
 */
public interface StoreProvider {

    /** The backend id used in {@code sessiondb.backend}. */
    String id();

    /** Where this backend's store is for these settings, safe to print. */
    String location(Settings settings);

    /** True when a store exists at the configured place (may connect to a server: can be slow). */
    boolean exists(Settings settings);

    /**
     * Opens the store. With {@code create}, a missing store (file, or schema on a server) is created
     * with the current schema; without it, a missing store is read as empty and nothing is written.
     */
    SessionStore open(Settings settings, boolean create);

    /** Creates the store or upgrades its schema to the current version; never drops data. */
    void init(Settings settings);

    /**
     * Removes the store (files, or the table on a server). The caller takes a backup first.
     */
    void destroy(Settings settings);

    /** The schema version this build writes. */
    int currentSchemaVersion();

    /** Checks the store's integrity and records; never changes anything. */
    VerifyReport verify(Settings settings);

    /**
     * Rebuilds a damaged store into a new one from everything that can still be read, checks it,
     * swaps it in atomically and keeps the original beside it. Throws BAD_INPUT when this backend
     * cannot be repaired this way.
     */
    RepairReport repair(Settings settings, java.time.Clock clock);

    // ---- What the core asks a backend (issue 9.1). Every one has a default, so a backend written
    // ---- against an earlier API still compiles; the built-in backends answer them exactly as a plugin's would.

    /** A name for people ("SQLite"); defaults to {@link #id()}. Never null. Cheap. */
    default String displayName() {
        return id();
    }

    /**
     * The name of this backend's store file inside {@code sessiondb.baseDir} (for example
     * {@code sessions.db}), or null for a backend that keeps no file there (a server). The doctor looks
     * for such files in the other usual places (split-brain). Cheap.
     */
    default String storeFileName() {
        return null;
    }

    /**
     * Suffixes of the files that belong with a store file and are copied, backed up and restored with
     * it (SQLite: {@code -wal}, {@code -shm}, {@code -journal}). Never null; empty by default. Cheap.
     */
    default List<String> companionSuffixes() {
        return List.of();
    }

    /**
     * Whether {@code file} is in this backend's format and how many sessions it holds, read without
     * changing it (a store file, a temp file or a {@code .corrupt} copy); -1 when it is not readable
     * as one. May read the whole file: call it only on files the user asked about or the doctor found.
     */
    default long countSessions(Path file) {
        return -1;
    }

    /**
     * The configured store's file for these settings, or null for a backend that keeps no file (a
     * server). Defaults to null. Cheap.
     */
    default Path storeFile(Settings settings) {
        return null;
    }

    /**
     * Settings that open this backend's store at {@code file} (another store file the doctor found),
     * everything else as in {@code settings}. The default puts this backend's id in and the file's
     * directory as the base directory; a backend whose file is not {@code <baseDir>/<storeFileName()>}
     * overrides it. Only called for a backend with a {@link #storeFileName()}.
     */
    default Settings atFile(Settings settings, Path file) {
        return new Settings(id(), settings.stateDir(), file.getParent(), settings.jsonPath(), settings.sqlitePath(),
                settings.connectionString(), settings.maxConnections(), settings.idleTimeoutMillis(),
                settings.sqliteBusyTimeoutMillis(), settings.connectionWaitMillis());
    }

    /**
     * The config keys and values ({@code sessiondb.baseDir}, {@code sessiondb.dbPath}, ...) that make
     * {@code file} this backend's configured store, in the order to set them; empty for a backend
     * with no file (a server). The default sets {@code sessiondb.baseDir} to the file's directory.
     */
    default java.util.Map<String, String> configFor(Path file) {
        return storeFileName() == null ? java.util.Map.of() : java.util.Map.of("sessiondb.baseDir", file.getParent().toString());
    }

    /**
     * Opens the store only to read, so that reading changes nothing on disk (SQLite: no checkpoint of
     * a {@code -wal} on close). Defaults to {@code open(settings, false)}.
     */
    default SessionStore openForReading(Settings settings) {
        return open(settings, false);
    }

    /**
     * What is wrong with these settings for this backend when it is the configured one (for example a
     * missing or malformed connection string), or null when nothing is. Never connects. Cheap.
     */
    default ConfigProblem configProblem(Settings settings) {
        return null;
    }

    /** Where this backend's secrets live in config values, or null when it has none. */
    default StoreSecrets secrets() {
        return null;
    }

    /**
     * Called once, early and on a background thread, before the doctor needs the backend (for example
     * to load a native driver); must not throw and must not write anything. Does nothing by default.
     */
    default void warmUp() {}

    /** A problem of the configuration for one backend: {@code kind} as in the {@code config.errorKind} fact. */
    record ConfigProblem(String message, String kind) {}

    /** {@link #verify}, telling {@code progress} how far it has got (records checked). */
    default VerifyReport verify(Settings settings, Progress progress) {
        return verify(settings);
    }

    /** {@link #repair}, telling {@code progress} how far it has got (records salvaged). */
    default RepairReport repair(Settings settings, java.time.Clock clock, Progress progress) {
        return repair(settings, clock);
    }
}
