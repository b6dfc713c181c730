package dev.minsky.backend.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.model.JsonTrees;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.jdbc.JdbcRecords;
import dev.minsky.store.jdbc.RowFormat;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * SQLite's columns: named as the fields are (camelCase), all TEXT but {@code prApproved} (0/1) and
 * untyped in practice, so a cell is read by its column's name, not its declared type. A known field
 * goes to its column only as text, 0/1 for prApproved, or a JSON object for prState and pullRequest.
 */
final class SqliteRows implements RowFormat {
    static final SqliteRows FORMAT = new SqliteRows();

    private SqliteRows() {}

    @Override
    public String field(String column) {
        return column;
    }

    @Override
    public Object toColumn(String field, JsonNode v, SessionRecord record) {
        if (SessionRecord.OBJECT_FIELDS.contains(field)) {
            return v.isObject() ? compact(v) : null;
        }
        if ("prApproved".equals(field)) {
            return v.isBoolean() ? (v.booleanValue() ? 1 : 0) : null;
        }
        return v.isTextual() ? v.textValue() : null;
    }

    @Override
    public Object extra(ObjectNode fields) {
        return compact(fields);
    }

    @Override
    public void bind(PreparedStatement ps, int parameter, String field, Object value) throws SQLException {
        ps.setObject(parameter, value);
    }

    private static String compact(JsonNode n) {
        return JsonTrees.compact(n);
    }

    @Override
    public JsonNode cell(ResultSet rs, int i, String col, String type) throws SQLException {
        Object v = rs.getObject(i);
        if (v == null) {
            return null;
        }
        if (SessionRecord.OBJECT_FIELDS.contains(col) || SqliteSchema.EXTRA.equals(col)) {
            return JdbcRecords.parse(v.toString());
        }
        if ("prApproved".equals(col)) {
            return bool(v);
        }
        if (SessionRecord.KNOWN_FIELDS.contains(col)) {
            return JsonTrees.NODES.textNode(v.toString());
        }
        return scalar(v);
    }

    private static JsonNode bool(Object v) {
        var f = JsonTrees.NODES;
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
        var f = JsonTrees.NODES;
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
