package dev.minsky.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.MinskyException;
import dev.minsky.model.JsonTrees;
import dev.minsky.model.SessionRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Record to row and back, the same for every SQL backend: a known field goes to its column only
 * when its JSON type fits (the backend's {@link RowFormat} says what fits); anything else, an
 * explicit null included, goes to the {@code extra} column, so reading a row gives back exactly the
 * record that was written. The statements here are the plain SQL both SQLite and PostgreSQL speak;
 * anything of one dialect stays in that backend's package.
 */
public final class JdbcRecords {
    /** The column holding, as a JSON object, every field without a column of its own. */
    public static final String EXTRA = "extra";

    private static final int BATCH = 1000;

    private JdbcRecords() {}

    /** The table's columns for the given naming: one per known field, in their order, then {@code extra}. */
    public static List<String> columns(java.util.function.UnaryOperator<String> columnOfField) {
        List<String> cols = new ArrayList<>();
        for (String f : SessionRecord.KNOWN_FIELDS) {
            cols.add(columnOfField.apply(f));
        }
        cols.add(EXTRA);
        return List.copyOf(cols);
    }

    /**
     * Refuses a record every backend could not hold and read back (the JSON store's reader rejects
     * the same ones), before the database says it less clearly.
     */
    public static void checkWritable(SessionRecord r) {
        String problem = r.validate();
        if (problem != null) {
            throw MinskyException.badInput("record " + (r.session() != null ? "'" + r.session() + "' " : "")
                    + "is not a valid session: " + problem, "every session needs session, repoName, repoUrl and an ISO-8601 createdAt");
        }
    }

    /** The values for the table's columns ({@link #columns} order, {@code extra} last). */
    public static Object[] encode(SessionRecord r, RowFormat format) {
        List<String> known = SessionRecord.KNOWN_FIELDS;
        ObjectNode node = r.toJson();
        Object[] values = new Object[known.size() + 1];
        ObjectNode extra = JsonTrees.NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String f = e.getKey();
            JsonNode v = e.getValue();
            int i = known.indexOf(f);
            Object value = i < 0 ? null : format.toColumn(f, v, r);
            if (value == null) {
                extra.set(f, v);
            } else {
                values[i] = value;
                if (format.alsoInExtra(f, v, value)) {
                    extra.set(f, v);
                }
            }
        }
        values[known.size()] = extra.isEmpty() ? null : format.extra(extra);
        return values;
    }

    /**
     * Binds the record's column values, from column {@code from} on, to parameters 1, 2, ...;
     * returns the next free parameter.
     */
    public static int bind(PreparedStatement ps, RowFormat format, SessionRecord r, int from) throws SQLException {
        Object[] values = encode(r, format);
        List<String> known = SessionRecord.KNOWN_FIELDS;
        int p = 1;
        for (int i = from; i < values.length; i++) {
            format.bind(ps, p++, i < known.size() ? known.get(i) : EXTRA, values[i]);
        }
        return p;
    }

    /** The labels (and, when a format wants them, the type names) of a result set's columns. */
    public record Columns(String[] labels, String[] types) {
        public static Columns labels(ResultSetMetaData md) throws SQLException {
            String[] l = new String[md.getColumnCount()];
            for (int i = 0; i < l.length; i++) {
                l[i] = md.getColumnLabel(i + 1);
            }
            return new Columns(l, null);
        }

        public static Columns labelsAndTypes(ResultSetMetaData md) throws SQLException {
            String[] l = labels(md).labels();
            String[] t = new String[l.length];
            for (int i = 0; i < l.length; i++) {
                t[i] = md.getColumnTypeName(i + 1);
            }
            return new Columns(l, t);
        }
    }

    /** Reads the current row of a {@code SELECT *}, whatever the table's version. */
    public static SessionRecord decode(ResultSet rs, Columns cols, RowFormat format) throws SQLException {
        ObjectNode n = JsonTrees.NODES.objectNode();
        ObjectNode strange = null;
        JsonNode extra = null;
        for (int i = 1; i <= cols.labels().length; i++) {
            String col = cols.labels()[i - 1];
            JsonNode v = format.cell(rs, i, col, cols.types() == null ? null : cols.types()[i - 1]);
            if (EXTRA.equals(col)) {
                extra = v;
                continue;
            }
            if (v == null) {
                continue;
            }
            String f = format.field(col);
            if (SessionRecord.KNOWN_FIELDS.contains(f)) {
                n.set(f, v);
            } else {
                // A column Minsky added that this build does not know: keep its value as a field.
                if (strange == null) {
                    strange = JsonTrees.NODES.objectNode();
                }
                strange.set(col, v);
            }
        }
        if (strange != null) {
            strange.fields().forEachRemaining(e -> {
                if (!n.has(e.getKey())) {
                    n.set(e.getKey(), e.getValue());
                }
            });
        }
        if (extra != null) {
            if (extra.isObject()) {
                n.setAll((ObjectNode) extra);
            } else {
                // written by hand or by another tool: kept as a field rather than lost
                n.set(EXTRA, extra);
            }
        }
        return SessionRecord.of(n);
    }

    /**
     * Reads every row of a {@code SELECT * FROM sessions} for {@code verify}: counts them and adds
     * one line to {@code problems} naming the first invalid records, if any.
     *
     * @return the number of rows
     */
    public static long verifyRows(ResultSet rs, RowFormat format, List<String> problems) throws SQLException {
        return verifyRows(rs, format, problems, dev.minsky.store.Progress.NONE);
    }

    /** {@link #verifyRows(ResultSet, RowFormat, List)}, each row counted on {@code progress}. */
    public static long verifyRows(ResultSet rs, RowFormat format, List<String> problems, dev.minsky.store.Progress progress)
            throws SQLException {
        Columns cols = format.columns(rs.getMetaData());
        long count = 0;
        List<String> invalid = new ArrayList<>();
        while (rs.next()) {
            count++;
            progress.advance(1);
            SessionRecord r = decode(rs, cols, format);
            String why = r.validate();
            if (why != null) {
                invalid.add((r.session() == null ? "(no name)" : r.session()) + ": " + why);
            }
        }
        if (!invalid.isEmpty()) {
            problems.add(invalid.size() + " invalid record(s): " + String.join("; ", invalid.subList(0, Math.min(3, invalid.size())))
                    + (invalid.size() > 3 ? "; ..." : ""));
        }
        return count;
    }

    /** Text from a JSON column, parsed; text that is not JSON is kept as a string rather than lost. */
    public static JsonNode parse(String text) {
        try {
            JsonNode j = JsonTrees.read(text); // the mapper's readTree, without building a mapper (issue 12)
            return j == null || j.isMissingNode() ? JsonTrees.NODES.textNode(text) : j;
        } catch (JsonProcessingException e) {
            return JsonTrees.NODES.textNode(text);
        }
    }

    /** Runs a {@code SELECT *} on the sessions table and decodes every row. */
    public static List<SessionRecord> rows(PreparedStatement ps, RowFormat format) throws SQLException {
        List<SessionRecord> out = new ArrayList<>();
        rows(ps, format, out::add);
        return out;
    }

    /** Decodes the rows of a {@code SELECT *} one at a time into {@code sink}. */
    public static void rows(PreparedStatement ps, RowFormat format, java.util.function.Consumer<? super SessionRecord> sink)
            throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            Columns cols = format.columns(rs.getMetaData());
            while (rs.next()) {
                sink.accept(decode(rs, cols, format));
            }
        }
    }

    public static Optional<SessionRecord> get(Connection c, RowFormat format, String session) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM sessions WHERE session = ?")) {
            ps.setString(1, session);
            return rows(ps, format).stream().findFirst();
        }
    }

    public static long count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * {@code INSERT INTO sessions} of every column; with {@code upsert}, a row of the same session
     * has every other column replaced (SQLite took PostgreSQL's {@code ON CONFLICT} syntax as is).
     */
    public static String insertSql(List<String> columns, boolean upsert) {
        StringBuilder sb = new StringBuilder("INSERT INTO sessions (");
        sb.append(String.join(", ", columns)).append(") VALUES (");
        sb.append("?, ".repeat(columns.size() - 1)).append("?)");
        if (upsert) {
            sb.append(" ON CONFLICT (session) DO UPDATE SET ");
            List<String> sets = new ArrayList<>();
            for (String col : columns.subList(1, columns.size())) {
                sets.add(col + " = excluded." + col);
            }
            sb.append(String.join(", ", sets));
        }
        return sb.toString();
    }

    /**
     * Adds or replaces every record, in batches, in the caller's transaction. A session named twice
     * is written twice; PostgreSQL refuses that within one statement, so its caller passes each once.
     */
    public static void upsertBatched(Connection c, List<String> columns, RowFormat format, Iterable<SessionRecord> records)
            throws SQLException {
        upsertBatched(c, columns, format, records, dev.minsky.store.Progress.NONE);
    }

    /** {@link #upsertBatched(Connection, List, RowFormat, Iterable)}, each batch counted on {@code progress} once sent. */
    public static void upsertBatched(Connection c, List<String> columns, RowFormat format, Iterable<SessionRecord> records,
                                     dev.minsky.store.Progress progress) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertSql(columns, true))) {
            int n = 0;
            for (SessionRecord r : records) {
                bind(ps, format, r, 0);
                ps.addBatch();
                if (++n % BATCH == 0) {
                    ps.executeBatch();
                    progress.advance(BATCH);
                }
            }
            if (n % BATCH != 0) {
                ps.executeBatch();
                progress.advance(n % BATCH);
            }
        }
    }
}
