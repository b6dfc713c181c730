package dev.minsky.store.jdbc;

import dev.minsky.MinskyException;
import dev.minsky.model.SessionRecord;
import dev.minsky.model.Timestamps;
import dev.minsky.store.SessionCensus;
import dev.minsky.store.SessionStore;
import dev.minsky.store.WorkspaceCensus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * What a SQL session store does the same way on every backend: the record operations, on top of
 * the backend's own read and write transactions. A subclass opens its connection, runs
 * {@link #read} and {@link #write} with its own locking and error mapping, and keeps the SQL that
 * is its dialect (listing a page, deleting, reading the schema).
 */
public abstract class JdbcSessionStore implements SessionStore {
    /** The records of {@link #each}, collected: one query, one order, for both SQL stores. */
    @Override
    public synchronized List<SessionRecord> list(dev.minsky.store.SessionQuery q) {
        List<SessionRecord> out = new ArrayList<>();
        each(q, out::add);
        return out;
    }

    /** Each backend pages through its own table in its own dialect, handing rows to {@code sink} as read. */
    @Override
    public abstract void each(dev.minsky.store.SessionQuery q, java.util.function.Consumer<? super SessionRecord> sink);

    private final RowFormat format;
    private final List<String> columns;
    private Connection conn;

    /**
     * @param format how the backend names, binds and reads its columns
     * @param columns the table's columns in order, the key first (see {@link JdbcRecords#columns})
     */
    protected JdbcSessionStore(RowFormat format, List<String> columns) {
        this.format = format;
        this.columns = columns;
    }

    /** Work on an open connection; the caller maps its SQLException. */
    @FunctionalInterface
    protected interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs a read; returns {@code whenMissing} when there is no store or no table yet. Never writes. */
    protected abstract <T> T read(Work<T> work, T whenMissing);

    /** Runs one write transaction (making the store or its table when there is none) and commits it. */
    protected abstract <T> T write(Work<T> work);

    /** The connection this store has open, or null. */
    protected final Connection opened() {
        return conn;
    }

    protected final void opened(Connection c) {
        conn = dev.minsky.log.SqlTrace.wrap(c);
    }

    @Override
    public synchronized long count() {
        return read(JdbcRecords::count, 0L);
    }

    /** The table's column holding a record field, or null when it has none. */
    private String columnOf(String field) {
        for (String c : columns) {
            if (field.equals(format.field(c))) {
                return c;
            }
        }
        return null;
    }

    /** The table as it is has these columns (an older table may lack some this build writes). */
    private static boolean hasColumns(Connection c, String... names) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM sessions WHERE 1 = 0")) {
            ResultSetMetaData md = rs.getMetaData();
            java.util.Set<String> have = new java.util.HashSet<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                have.add(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
            }
            for (String n : names) {
                if (n == null || !have.contains(n.toLowerCase(java.util.Locale.ROOT))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A createdAt cutoff as the backend's createdAt column compares it (SQLite: the ISO text Minsky writes). */
    protected Object createdAtParameter(Instant t) {
        return Timestamps.iso(t);
    }

    /** A createdAt cell as an instant, or null. */
    protected Instant createdAtValue(ResultSet rs, int index) throws SQLException {
        String s = rs.getString(index);
        return s == null ? null : Timestamps.parse(s);
    }

    /**
     * Whether {@link #census} counts every cutoff in one pass ({@code count(*) FILTER (WHERE ...)}):
     * where a range count is a scan of its own (PostgreSQL), one pass instead of one per cutoff.
     * SQLite counts a range from its index faster than it aggregates a whole table: the default.
     */
    protected boolean censusInOneScan() {
        return false;
    }

    /** Counted through the createdAt index: {@code COUNT(*) ... WHERE createdAt <= ?} and {@code min(createdAt)}. */
    @Override
    public synchronized SessionCensus census(List<Instant> cutoffs) {
        String created = columnOf("createdAt");
        boolean fast = read(c -> hasColumns(c, created), false);
        if (!fast) {
            return SessionStore.super.census(cutoffs);
        }
        if (censusInOneScan()) {
            return read(c -> {
                // one pass over the createdAt index instead of one per cutoff (each is a scan of its own on PostgreSQL)
                StringBuilder sql = new StringBuilder("SELECT count(*), min(" + created + ")");
                for (int i = 0; i < cutoffs.size(); i++) {
                    sql.append(", count(*) FILTER (WHERE ").append(created).append(" <= ?)");
                }
                try (PreparedStatement ps = c.prepareStatement(sql.append(" FROM sessions").toString())) {
                    for (int i = 0; i < cutoffs.size(); i++) {
                        ps.setObject(i + 1, createdAtParameter(cutoffs.get(i)));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        List<Long> older = new ArrayList<>();
                        for (int i = 0; i < cutoffs.size(); i++) {
                            older.add(rs.getLong(3 + i));
                        }
                        return new SessionCensus(rs.getLong(1), older, createdAtValue(rs, 2));
                    }
                }
            }, new SessionCensus(0, cutoffs.stream().map(t -> 0L).toList(), null));
        }
        return read(c -> {
            long count = JdbcRecords.count(c);
            List<Long> older = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM sessions WHERE " + created + " <= ?")) {
                for (Instant t : cutoffs) {
                    ps.setObject(1, createdAtParameter(t));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        older.add(rs.getLong(1));
                    }
                }
            }
            Instant oldest;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT min(" + created + ") FROM sessions")) {
                oldest = rs.next() ? createdAtValue(rs, 1) : null;
            }
            return new SessionCensus(count, older, oldest);
        }, new SessionCensus(0, cutoffs.stream().map(t -> 0L).toList(), null));
    }

    /** Streams the two columns in pages of a few thousand rows (inside a read transaction, which PostgreSQL needs for a cursor). */
    @Override
    public synchronized void forEachRepoPath(BiConsumer<String, String> each) {
        String key = columns.get(0);
        String repo = columnOf("repoPath");
        if (!read(c -> hasColumns(c, key, repo), false)) {
            SessionStore.super.forEachRepoPath(each);
            return;
        }
        read(c -> {
            boolean auto = c.getAutoCommit();
            try {
                if (auto) {
                    c.setAutoCommit(false);
                }
                try (Statement st = c.createStatement()) {
                    st.setFetchSize(4096);
                    try (ResultSet rs = st.executeQuery("SELECT " + key + ", " + repo + " FROM sessions")) {
                        while (rs.next()) {
                            each.accept(rs.getString(1), rs.getString(2));
                        }
                    }
                }
            } finally {
                if (auto) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
            return null;
        }, null);
    }

    /**
     * The workspace census without streaming the store (see {@link SessionStore#workspaceCensus}),
     * in one read transaction: records whose repoPath is the usual {@code <root>/<session>} are
     * counted by SQL, the listing's names are looked up by key (so the count of usual workspaces
     * that exist costs one key lookup per listed entry), only the other records are streamed to the
     * tally, and the first missing names are read in key order, bounded by the listing.
     */
    @Override
    public synchronized WorkspaceCensus workspaceCensus(WorkspaceCensus.Tally tally) {
        String key = columns.get(0);
        String repo = columnOf("repoPath");
        if (!read(c -> hasColumns(c, key, repo), false)) {
            return SessionStore.super.workspaceCensus(tally);
        }
        String usual = "(" + repo + " = CAST(? AS TEXT) || " + key + " AND " + key + " NOT LIKE '%/%' AND " + key
                + " NOT LIKE '.%' AND " + key + " <> '')";
        return read(c -> inOneSnapshot(c, () -> {
            // Counted first, in one aggregate pass (which PostgreSQL runs in parallel; a cursor's scan it cannot):
            // the records of another form are streamed only when there are any.
            long total;
            long unusual;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*), coalesce(sum(CASE WHEN " + usual
                    + " THEN 0 ELSE 1 END), 0) FROM sessions")) {
                ps.setString(1, tally.prefix());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                    unusual = rs.getLong(2);
                }
            }
            long others = 0;
            if (unusual > 0) {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + key + ", " + repo + " FROM sessions WHERE CASE WHEN "
                        + usual + " THEN 0 ELSE 1 END = 1")) {
                    ps.setFetchSize(4096);
                    ps.setString(1, tally.prefix());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if ((++others & 4095) == 0 && Thread.currentThread().isInterrupted()) {
                                throw new IllegalStateException("interrupted after " + others + " records");
                            }
                            tally.record(rs.getString(1), rs.getString(2));
                        }
                    }
                }
            }
            long usualCount = total - unusual;
            long usualThere = 0;
            List<String> names = new ArrayList<>(tally.listing().keySet());
            for (int from = 0; from < names.size(); from += 500) {
                List<String> batch = names.subList(from, Math.min(names.size(), from + 500));
                String marks = String.join(", ", java.util.Collections.nCopies(batch.size(), "?"));
                try (PreparedStatement ps = c.prepareStatement("SELECT " + key + ", " + repo + " FROM sessions WHERE " + key
                        + " IN (" + marks + ")")) {
                    for (int i = 0; i < batch.size(); i++) {
                        ps.setString(i + 1, batch.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String name = rs.getString(1);
                            tally.hasRecord(name);
                            if (WorkspaceCensus.usual(tally.prefix(), name, rs.getString(2)) && tally.listing().getOrDefault(name, false)) {
                                usualThere++;
                            }
                        }
                    }
                }
            }
            long usualGone = usualCount - usualThere;
            if (usualGone > 0) {
                List<String> first = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT " + key + " FROM sessions WHERE " + usual + " ORDER BY "
                        + inJavaOrder(key) + " LIMIT ?")) {
                    ps.setString(1, tally.prefix());
                    ps.setLong(2, usualThere + tally.keep());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next() && first.size() < tally.keep()) {
                            String name = rs.getString(1);
                            if (!tally.listing().getOrDefault(name, false)) {
                                first.add(name);
                            }
                        }
                    }
                }
                tally.missing(first, usualGone);
            }
            return tally.result();
        }), tally.result());
    }

    /** An ORDER BY term that sorts a text column as {@link String#compareTo} does (SQLite's BINARY collation does). */
    protected String inJavaOrder(String column) {
        return column;
    }

    /** Runs {@code work} in one read-only transaction that sees one snapshot, and rolls it back. */
    private static <T> T inOneSnapshot(Connection c, Work0<T> work) throws SQLException {
        boolean auto = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        boolean repeatable = auto && isolation < Connection.TRANSACTION_REPEATABLE_READ
                && c.getMetaData().supportsTransactionIsolationLevel(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            if (repeatable) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            if (auto) {
                c.setAutoCommit(false);
            }
            return work.run();
        } finally {
            if (auto) {
                c.rollback();
                c.setAutoCommit(true);
            }
            if (repeatable) {
                c.setTransactionIsolation(isolation);
            }
        }
    }

    @FunctionalInterface
    private interface Work0<T> {
        T run() throws SQLException;
    }

    @Override
    public synchronized Optional<SessionRecord> get(String session) {
        return read(c -> JdbcRecords.get(c, format, session), Optional.empty());
    }

    @Override
    public synchronized void insert(SessionRecord record) {
        JdbcRecords.checkWritable(record);
        write(c -> {
            // DO NOTHING rather than a key violation: no error to tell apart from a real failure.
            try (PreparedStatement ps = c.prepareStatement(JdbcRecords.insertSql(columns, false) + " ON CONFLICT (session) DO NOTHING")) {
                JdbcRecords.bind(ps, format, record, 0);
                if (ps.executeUpdate() == 0) {
                    throw MinskyException.badInput("session '" + record.session() + "' already exists",
                            "choose another name, or 'minsky session get " + record.session() + "' to see it");
                }
            }
            return null;
        });
    }

    @Override
    public synchronized void update(SessionRecord record) {
        JdbcRecords.checkWritable(record);
        write(c -> {
            StringBuilder sql = new StringBuilder("UPDATE sessions SET ");
            List<String> set = columns.subList(1, columns.size());
            for (int i = 0; i < set.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(set.get(i)).append(" = ?");
            }
            sql.append(" WHERE session = ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                // The key is not among the SET columns: it is the last parameter, for WHERE.
                int next = JdbcRecords.bind(ps, format, record, 1);
                ps.setString(next, record.session());
                if (ps.executeUpdate() == 0) {
                    throw MinskyException.badInput("no session named '" + record.session() + "'",
                            "'minsky session list' shows the sessions");
                }
            }
            return null;
        });
    }

    @Override
    public synchronized void upsertAll(Collection<SessionRecord> records) {
        upsertAll(records, dev.minsky.store.Progress.NONE);
    }

    @Override
    public synchronized void upsertAll(Collection<SessionRecord> records, dev.minsky.store.Progress progress) {
        records.forEach(JdbcRecords::checkWritable);
        writing = progress;
        try {
            write(c -> {
                insertAll(c, records);
                return null;
            });
        } finally {
            writing = dev.minsky.store.Progress.NONE;
        }
    }

    @Override
    public synchronized void replaceAll(Collection<SessionRecord> records) {
        replaceAll(records, dev.minsky.store.Progress.NONE);
    }

    @Override
    public synchronized void replaceAll(Collection<SessionRecord> records, dev.minsky.store.Progress progress) {
        records.forEach(JdbcRecords::checkWritable);
        writing = progress;
        try {
            write(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("DELETE FROM sessions");
                }
                insertAll(c, records);
                return null;
            });
        } finally {
            writing = dev.minsky.store.Progress.NONE;
        }
    }

    /** Hears the batches of the upsertAll or replaceAll running now (the methods are synchronized). */
    private dev.minsky.store.Progress writing = dev.minsky.store.Progress.NONE;

    /** Adds or replaces the records inside the current write transaction. */
    protected void insertAll(Connection c, Collection<SessionRecord> records) throws SQLException {
        JdbcRecords.upsertBatched(c, columns, format, records, writing);
    }

    @Override
    public synchronized void close() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // closing loses nothing committed; the server or SQLite cleans up the rest
            }
            conn = null;
        }
    }
}
