package dev.minsky.store.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Record to row and back. As in SQLite, a known field goes to its column only when its JSON type
 * fits; everything else goes to {@code extra}. {@code createdAt} is stored as a timestamptz, and
 * when the server would print it back differently (another offset, more digits, no fraction) the
 * original text is kept in {@code extra} too, so it round-trips as the exact same string.
 */
final class PostgresRows {
    /** Field name to column name, for the twelve known fields. */
    static final List<String> FIELDS = SessionRecord.KNOWN_FIELDS;

    private PostgresRows() {}

    static String column(String field) {
        return field.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }

    static String field(String column) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char ch : column.toCharArray()) {
            if (ch == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return sb.toString();
    }

    /**
     * How this class prints a timestamptz it reads: as Minsky writes times (JavaScript's
     * toISOString), so that records written by Minsky or by minsky need nothing in {@code extra}.
     */
    static String canonical(Instant t) {
        return dev.minsky.model.Timestamps.iso(t);
    }

    /** Binds the record's values to parameters 1..13 in {@link PostgresSchema#NAMES} order. */
    static void bind(PreparedStatement ps, SessionRecord r, int first) throws SQLException {
        ObjectNode node = r.toJson();
        ObjectNode extra = SessionJson.MAPPER.createObjectNode();
        Object[] values = new Object[FIELDS.size()];
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String f = e.getKey();
            JsonNode v = e.getValue();
            int i = FIELDS.indexOf(f);
            Object value = null;
            if (i >= 0) {
                if (SessionRecord.OBJECT_FIELDS.contains(f)) {
                    value = v.isObject() ? v.toString() : null;
                } else if ("prApproved".equals(f)) {
                    value = v.isBoolean() ? v.booleanValue() : null;
                } else if ("createdAt".equals(f)) {
                    Instant t = r.createdInstant();
                    value = t == null ? null : t;
                    if (t != null && !canonical(t).equals(v.asText())) {
                        extra.set(f, v);
                    }
                } else {
                    value = v.isTextual() ? v.textValue() : null;
                }
            }
            if (value == null) {
                extra.set(f, v);
            } else {
                values[i] = value;
            }
        }
        for (int i = 0; i < values.length; i++) {
            String f = FIELDS.get(i);
            int p = first + i;
            Object v = values[i];
            if (SessionRecord.OBJECT_FIELDS.contains(f)) {
                ps.setObject(p, v, Types.OTHER);
            } else if ("prApproved".equals(f)) {
                if (v == null) {
                    ps.setNull(p, Types.BOOLEAN);
                } else {
                    ps.setBoolean(p, (Boolean) v);
                }
            } else if ("createdAt".equals(f)) {
                ps.setObject(p, v == null ? null : OffsetDateTime.ofInstant((Instant) v, ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                ps.setString(p, (String) v);
            }
        }
        ps.setObject(first + values.length, extra.isEmpty() ? null : extra.toString(), Types.OTHER);
    }

    static SessionRecord decode(ResultSet rs, ResultSetMetaData md) throws SQLException {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        ObjectNode strange = null;
        String extra = null;
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String col = md.getColumnLabel(i);
            String type = md.getColumnTypeName(i);
            if ("extra".equals(col)) {
                extra = rs.getString(i);
                continue;
            }
            String f = field(col);
            JsonNode v;
            if ("timestamptz".equals(type) || "timestamp".equals(type)) {
                OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                v = t == null ? null : SessionJson.MAPPER.getNodeFactory().textNode(canonical(t.toInstant()));
            } else if ("bool".equals(type)) {
                boolean b = rs.getBoolean(i);
                v = rs.wasNull() ? null : SessionJson.MAPPER.getNodeFactory().booleanNode(b);
            } else if ("jsonb".equals(type) || "json".equals(type)) {
                String s = rs.getString(i);
                v = s == null ? null : parse(s);
            } else {
                String s = rs.getString(i);
                v = s == null ? null : SessionJson.MAPPER.getNodeFactory().textNode(s);
            }
            if (v == null) {
                continue;
            }
            if (FIELDS.contains(f)) {
                n.set(f, v);
            } else {
                if (strange == null) {
                    strange = SessionJson.MAPPER.createObjectNode();
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
            JsonNode x = parse(extra);
            if (x.isObject()) {
                n.setAll((ObjectNode) x);
            }
        }
        return SessionRecord.of(n);
    }

    private static JsonNode parse(String s) {
        try {
            return SessionJson.MAPPER.readTree(s);
        } catch (JsonProcessingException e) {
            return SessionJson.MAPPER.getNodeFactory().textNode(s);
        }
    }
}
