package dev.minsky.store;

import java.time.Instant;
import java.util.List;

/**
 * What the doctor counts of a store's sessions, read without building records
 * ({@link SessionStore#census}).
 *
 * @param count every record
 * @param createdAtOrBefore for each cutoff asked for, in order: records created at or before it
 * @param oldest the earliest createdAt, null when there is no record
 */
public record SessionCensus(long count, List<Long> createdAtOrBefore, Instant oldest) {
    public SessionCensus {
        createdAtOrBefore = List.copyOf(createdAtOrBefore);
    }
}
