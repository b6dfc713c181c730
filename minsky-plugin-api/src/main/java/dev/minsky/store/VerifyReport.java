package dev.minsky.store;

import java.util.List;

/**
 * What {@link StoreProvider#verify} found.
 *
 * @param ok true when no problem was found
 * @param sessions how many records could be read (-1 when none could)
 * @param problems one line each, empty when ok
 */
public record VerifyReport(boolean ok, long sessions, List<String> problems) {}
