package dev.minsky.store;

import dev.minsky.config.Settings;

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

    /** {@link #verify}, telling {@code progress} how far it has got (records checked). */
    default VerifyReport verify(Settings settings, Progress progress) {
        return verify(settings);
    }

    /** {@link #repair}, telling {@code progress} how far it has got (records salvaged). */
    default RepairReport repair(Settings settings, java.time.Clock clock, Progress progress) {
        return repair(settings, clock);
    }
}
