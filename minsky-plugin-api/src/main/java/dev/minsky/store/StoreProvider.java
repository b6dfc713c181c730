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

    // ---- More of what the core asks a backend (issue 9, points 1 and 6: no core class names a backend).
    // ---- Each has a default that is right for a backend that has nothing to say; all must be cheap.

    /**
     * Whether this is the backend used when {@code sessiondb.backend} is not set. The first provider
     * that says so wins, built-in ones first (the built-in default is SQLite); a plugin backend that
     * says so only becomes the default when no built-in one does. False by default. Cheap.
     */
    default boolean isDefault() {
        return false;
    }

    /**
     * The area of the doctor's report that this backend's facts, probes and causes belong to: the
     * first part of their ids ({@code sqlite} for {@code sqlite.wal.exists}). Defaults to {@link #id()}.
     * Lower-case letters, digits and '-'. Never null. Cheap.
     */
    default String area() {
        return id();
    }

    /**
     * The ids of this backend's remediation actions with their safety classes, so that a playbook
     * naming one validates without loading the action classes (every doctor run checks its playbooks,
     * and loading the actions to ask them would cost that run tens of milliseconds). Each safety must
     * be the action's own {@link dev.minsky.doctor.fix.RemediationAction#safety()}. Empty by default: a
     * plugin's actions are found by loading them anyway. Never null. Cheap.
     */
    default java.util.Map<String, dev.minsky.doctor.model.Safety> actions() {
        return java.util.Map.of();
    }

    /**
     * A warning that always goes with one of this backend's actions, whatever a playbook says
     * (SQLite: deleting a {@code -wal} file drops transactions); null for none, the default. Cheap.
     */
    default String fixedWarning(String action) {
        return null;
    }

    /**
     * How the doctor words one of this backend's actions when a generic rule puts it in front of
     * another step (SQLite: checkpoint the WAL before a copy), or null for the generic
     * "Run {@code action} first", the default. The command may use {@code ${fact.id}} placeholders
     * and may be null. Cheap.
     */
    default Step prerequisite(String action) {
        return null;
    }

    /** A step for people: what it does, and the shell command that does it (null when there is none). */
    record Step(String summary, String command) {}

    /**
     * The id of this backend's doctor fact that holds the store's schema version, or null (the
     * default). The bundle's store summary reads it. Cheap.
     */
    default String schemaVersionFact() {
        return null;
    }

    /**
     * The id of this backend's boolean doctor fact that is true when the store passed its integrity
     * check (SQLite's quick check, the JSON file's parse), or null (the default; the bundle then runs a
     * read-only {@link #verify}). Cheap.
     */
    default String integrityFact() {
        return null;
    }

    /** The id of the doctor fact that says why {@link #integrityFact()} is false, or null (the default). Cheap. */
    default String integrityDetailFact() {
        return null;
    }

    /**
     * The id of this backend's doctor fact that holds the kind of failure to reach its server, with
     * the value {@code ok} when it was reached, or null (the default, and for a file backend). When the
     * doctor saw the server refuse, the bundle does not try again. Cheap.
     */
    default String connectionFact() {
        return null;
    }

    /**
     * Ids of this backend's boolean doctor facts that are false when the store cannot be read as
     * records (a corrupt file, one that is not a database): a backup by export would fail, so the
     * doctor copies the files instead. Empty by default. Never null. Cheap.
     */
    default List<String> unreadableWhenFalse() {
        return List.of();
    }

    /**
     * Whether the doctor reads one record, untimed, before it times its reads of the store, to keep
     * a fresh JVM's class loading out of the latency it reports. True by default; a backend whose
     * every read loads the whole store (the JSON file) says false, as that read outweighs class
     * loading by far. Cheap.
     */
    default boolean warmUpRead() {
        return true;
    }

    /**
     * A place for this backend's store file that is not {@code configured} (the configured store
     * file, may be null), so that advice to move the file ({@code sessiondb.dbPath}) never points
     * back at a broken path: only one whose directory exists and is writable and that is free or
     * already holds a store of this backend. Null when there is none, and by default (a backend
     * without such a setting). Reads at most a few bytes of a few files.
     */
    default Path alternativeStoreFile(Path stateDir, Path configured) {
        return null;
    }

    /**
     * Resource names (prefixes such as {@code org/postgresql/}) of this backend's driver classes that
     * the startup archive (class data sharing) should hold because a command loads them on its first
     * connection. Empty by default. Never null. Cheap.
     */
    default List<String> archiveClassPrefixes() {
        return List.of();
    }
}
