package dev.minsky.store;

import java.nio.file.Path;

/**
 * What {@link StoreProvider#repair} did.
 *
 * @param changed true when the store was replaced
 * @param sessionsBefore records readable before (-1 when unknown)
 * @param sessionsAfter records in the repaired store
 * @param original where the damaged original was kept (null when nothing changed)
 * @param method how it was repaired, e.g. "sqlite3 .recover", "row salvage", "json salvage"
 */
public record RepairReport(boolean changed, long sessionsBefore, long sessionsAfter, Path original, String method) {}
