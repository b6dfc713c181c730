package dev.minsky.store;

import dev.minsky.model.SessionRecord;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A session store: one backend's view of the SessionDB. Implementations live in their own package
 * and keep every quirk of their backend inside it. Expected failures are thrown as
 * {@link dev.minsky.MinskyException} with an exit code (3 for an unreachable store or a lock that
 * could not be had, 2 for a store that cannot be parsed). A read never changes the store.
 */
public interface SessionStore extends AutoCloseable {

    /** The backend id: json, sqlite or postgres. */
    String backend();

    /** Where the store is, safe to print (passwords masked). */
    String location();

    /** The schema version recorded in the store. */
    int schemaVersion();

    long count();

    /**
     * The count, how many were created at or before each cutoff, and the oldest createdAt. SQL
     * stores answer from the createdAt index ({@code COUNT}, {@code min}) without reading records;
     * this default reads them all.
     */
    default SessionCensus census(List<Instant> cutoffs) {
        List<SessionRecord> all = list(SessionQuery.ALL);
        long[] older = new long[cutoffs.size()];
        Instant oldest = null;
        for (SessionRecord r : all) {
            Instant created = r.createdInstant();
            if (created == null) {
                continue;
            }
            for (int i = 0; i < older.length; i++) {
                if (!created.isAfter(cutoffs.get(i))) {
                    older[i]++;
                }
            }
            oldest = oldest == null || created.isBefore(oldest) ? created : oldest;
        }
        List<Long> counts = new java.util.ArrayList<>();
        for (long n : older) {
            counts.add(n);
        }
        return new SessionCensus(all.size(), counts, oldest);
    }

    /**
     * Calls {@code each} with every session's name and {@code repoPath} (null when it has none), in
     * no particular order. SQL stores stream the two columns and build no records; this default
     * reads them all.
     */
    default void forEachRepoPath(BiConsumer<String, String> each) {
        for (SessionRecord r : list(SessionQuery.ALL)) {
            each.accept(r.session(), r.repoPath());
        }
    }

    /**
     * The records' workspaces against a listing of the workspaces root (see {@link
     * WorkspaceCensus.Tally}): how many are gone, the first of their names, and which listed names
     * have a record. This default hands every record to the tally ({@link #forEachRepoPath}); SQL
     * stores count the records whose repoPath is the usual {@code <root>/<session>} in SQL, look
     * the listed names up by key, and stream only the other records.
     */
    default WorkspaceCensus workspaceCensus(WorkspaceCensus.Tally tally) {
        long[] seen = {0};
        forEachRepoPath((name, repoPath) -> {
            if ((++seen[0] & 4095) == 0 && Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted after " + seen[0] + " records");
            }
            tally.record(name, repoPath);
        });
        return tally.result();
    }

    List<SessionRecord> list(SessionQuery query);

    /**
     * Hands the records of {@link #list} to {@code sink} one by one, in the same order, so that a
     * command can print the first before the last is read (and stop early when its reader has gone).
     * The store may hold its read lock or cursor while {@code sink} runs; the sink must not write to
     * the store.
     */
    default void each(SessionQuery query, java.util.function.Consumer<? super SessionRecord> sink) {
        list(query).forEach(sink);
    }

    Optional<SessionRecord> get(String session);

    /** Adds a new record; BAD_INPUT when a session of that name exists. */
    void insert(SessionRecord record);

    /** Replaces an existing record; BAD_INPUT when there is none of that name. */
    void update(SessionRecord record);

    /** Removes a record; false when there was none. */
    boolean delete(String session);

    /** Removes the named records in one transaction; returns how many were removed. */
    int deleteAll(Collection<String> sessions);

    /** Adds or replaces every given record in one transaction (import, restore, migrate). */
    void upsertAll(Collection<SessionRecord> records);

    /** Makes the store hold exactly these records, in one transaction. */
    void replaceAll(Collection<SessionRecord> records);

    /**
     * {@link #upsertAll}, telling {@code progress} how many records are written as it goes (a
     * store that does not override this reports them all at the end).
     */
    default void upsertAll(Collection<SessionRecord> records, Progress progress) {
        upsertAll(records);
        progress.advance(records.size());
    }

    /** {@link #replaceAll}, telling {@code progress} how many records are written as it goes. */
    default void replaceAll(Collection<SessionRecord> records, Progress progress) {
        replaceAll(records);
        progress.advance(records.size());
    }

    @Override
    void close();
}
