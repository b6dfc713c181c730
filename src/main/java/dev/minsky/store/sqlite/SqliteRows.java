package dev.minsky.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.MinskyException;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Map;

/**
 * Maps a record to a row and back. A known field goes to its column only when its JSON type is the
 * column's (text, 0/1 for prApproved, a JSON object for prState and pullRequest); anything else,
 * an explicit null included, goes to {@code extra}, so that reading a row gives back exactly the
 * record that was written.
 */
final class SqliteRows {
    private static final ObjectWriter COMPACT = SessionJson.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private SqliteRows() {}

    /** The values for {@link SqliteSchema#COLUMNS}, in that order. */
    static Object[] encode(SessionRecord r) {
        ObjectNode node = r.toJson();
        Object[] values = new Object[SqliteSchema.COLUMNS.size()];
        ObjectNode extra = SessionJson.MAPPER.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String f = e.getKey();
            JsonNode v = e.getValue();
            int col = SessionRecord.KNOWN_FIELDS.indexOf(f);
            Object value = col < 0 ? null : columnValue(f, v);
            if (value == null) {
                extra.set(f, v);
            } else {
                values[col] = value;
            }
        }
        values[values.length - 1] = extra.isEmpty() ? null : compact(extra);
        return values;
    }

    private static Object columnValue(String field, JsonNode v) {
        if (SessionRecord.OBJECT_FIELDS.contains(field)) {
            return v.isObject() ? compact(v) : null;
        }
        if ("prApproved".equals(field)) {
            return v.isBoolean() ? (v.booleanValue() ? 1 : 0) : null;
        }
        return v.isTextual() ? v.textValue() : null;
    }

    static String compact(JsonNode n) {
        try {
            return COMPACT.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Refuses a record every backend could not hold and read back (the JSON store's reader rejects
     * the same ones), before SQLite says it less clearly.
     */
    static void checkWritable(SessionRecord r) {
        String problem = r.validate();
        if (problem != null) {
            throw MinskyException.badInput("record " + (r.session() != null ? "'" + r.session() + "' " : "")
                    + "is not a valid session: " + problem, "every session needs session, repoName, repoUrl and an ISO-8601 createdAt");
        }
    }

    /** Reads the current row of a {@code SELECT *}, whatever the table's version. */
    static SessionRecord decode(ResultSet rs, ResultSetMetaData md) throws SQLException {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        String extra = null;
        ObjectNode strange = null;
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String col = md.getColumnLabel(i);
            Object v = rs.getObject(i);
            if (SqliteSchema.EXTRA.equals(col)) {
                extra = v == null ? null : v.toString();
                continue;
            }
            if (v == null) {
                continue;
            }
            if (SessionRecord.OBJECT_FIELDS.contains(col)) {
                n.set(col, parseObject(v.toString()));
            } else if ("prApproved".equals(col)) {
                n.set(col, bool(v));
            } else if (SessionRecord.KNOWN_FIELDS.contains(col)) {
                n.put(col, v.toString());
            } else {
                // A column Minsky added that this build does not know: keep its value as a field.
                if (strange == null) {
                    strange = SessionJson.MAPPER.createObjectNode();
                }
                strange.set(col, scalar(v));
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
            JsonNode x = parseObject(extra);
            if (x.isObject()) {
                n.setAll((ObjectNode) x);
            } else {
                n.set(SqliteSchema.EXTRA, x);
            }
        }
        return SessionRecord.of(n);
    }

    private static JsonNode parseObject(String text) {
        try {
            JsonNode j = SessionJson.MAPPER.readTree(text);
            return j == null || j.isMissingNode() ? SessionJson.MAPPER.getNodeFactory().textNode(text) : j;
        } catch (JsonProcessingException e) {
            // Not JSON: keep the text rather than lose it.
            return SessionJson.MAPPER.getNodeFactory().textNode(text);
        }
    }

    private static JsonNode bool(Object v) {
        var f = SessionJson.MAPPER.getNodeFactory();
        if (v instanceof Number num) {
            return f.booleanNode(num.longValue() != 0);
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equals("1")) {
            return f.booleanNode(true);
        }
        if (s.equalsIgnoreCase("false") || s.equals("0")) {
            return f.booleanNode(false);
        }
        return f.textNode(v.toString());
    }

    private static JsonNode scalar(Object v) {
        var f = SessionJson.MAPPER.getNodeFactory();
        if (v instanceof Integer i) {
            return f.numberNode(i);
        }
        if (v instanceof Long l) {
            return f.numberNode(l);
        }
        if (v instanceof Double d) {
            return f.numberNode(d);
        }
        if (v instanceof byte[] b) {
            return f.binaryNode(b);
        }
        return f.textNode(v.toString());
    }
}
