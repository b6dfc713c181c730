package dev.minsky.backend.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.jdbc.JdbcRecords;
import dev.minsky.store.jdbc.RowFormat;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * PostgreSQL's columns: snake_case names, real types (timestamptz, boolean, jsonb), so a cell is
 * read by its type. {@code createdAt} is stored as a timestamptz, and when the server would print
 * it back differently (another offset, more digits, no fraction) the original text is kept in
 * {@code extra} too, so it round-trips as the exact same string.
 */
final class PostgresRows implements RowFormat {
    static final PostgresRows FORMAT = new PostgresRows();

    private PostgresRows() {}

    static String column(String field) {
        return field.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    @Override
    public String field(String column) {
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

    @Override
    public Object toColumn(String field, JsonNode v, SessionRecord record) {
        if (SessionRecord.OBJECT_FIELDS.contains(field)) {
            return v.isObject() ? v.toString() : null;
        }
        if ("prApproved".equals(field)) {
            return v.isBoolean() ? v.booleanValue() : null;
        }
        if ("createdAt".equals(field)) {
            return record.createdInstant();
        }
        return v.isTextual() ? v.textValue() : null;
    }

    @Override
    public boolean alsoInExtra(String field, JsonNode v, Object column) {
        return "createdAt".equals(field) && !canonical((Instant) column).equals(v.asText());
    }

    @Override
    public Object extra(ObjectNode fields) {
        return fields.toString();
    }

    @Override
    public void bind(PreparedStatement ps, int p, String field, Object v) throws SQLException {
        if (SessionRecord.OBJECT_FIELDS.contains(field) || JdbcRecords.EXTRA.equals(field)) {
            ps.setObject(p, v, Types.OTHER);
        } else if ("prApproved".equals(field)) {
            if (v == null) {
                ps.setNull(p, Types.BOOLEAN);
            } else {
                ps.setBoolean(p, (Boolean) v);
            }
        } else if ("createdAt".equals(field)) {
            ps.setObject(p, v == null ? null : OffsetDateTime.ofInstant((Instant) v, ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setString(p, (String) v);
        }
    }

    @Override
    public JdbcRecords.Columns columns(ResultSetMetaData md) throws SQLException {
        return JdbcRecords.Columns.labelsAndTypes(md);
    }

    @Override
    public JsonNode cell(ResultSet rs, int i, String column, String type) throws SQLException {
        if (JdbcRecords.EXTRA.equals(column)) {
            String s = rs.getString(i);
            return s == null ? null : JdbcRecords.parse(s);
        }
        JsonNodeFactory nodes = SessionJson.mapper().getNodeFactory();
        if ("timestamptz".equals(type) || "timestamp".equals(type)) {
            OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
            return t == null ? null : nodes.textNode(canonical(t.toInstant()));
        }
        if ("bool".equals(type)) {
            boolean b = rs.getBoolean(i);
            return rs.wasNull() ? null : nodes.booleanNode(b);
        }
        String s = rs.getString(i);
        if (s == null) {
            return null;
        }
        return "jsonb".equals(type) || "json".equals(type) ? JdbcRecords.parse(s) : nodes.textNode(s);
    }
}
