package dev.minsky.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.model.SessionRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * How one SQL backend names and types the columns of its {@code sessions} table. {@link JdbcRecords}
 * does the rest: which field goes to a column and which to {@code extra}, reading a row of any
 * table version back, batching. Everything here is called per field or per cell, so it must not
 * touch the database beyond the given result set or statement.
 */
public interface RowFormat {

    /** The record field a column of the table holds (a column no field has keeps its own name). */
    String field(String column);

    /**
     * The value a known field's column holds, or null when the field's JSON value does not fit the
     * column (an explicit null included): the field then goes to {@code extra} as it is.
     */
    Object toColumn(String field, JsonNode value, SessionRecord record);

    /**
     * True when a field that has a column value must also be kept verbatim in {@code extra},
     * because the column would not give back the same text.
     */
    default boolean alsoInExtra(String field, JsonNode value, Object column) {
        return false;
    }

    /** The value of the {@code extra} column for the given (non-empty) fields without a column. */
    Object extra(ObjectNode fields);

    /** Binds a value from {@link #toColumn} or {@link #extra} (null included) for a field, or for {@code extra}. */
    void bind(PreparedStatement ps, int parameter, String field, Object value) throws SQLException;

    /** What to know of a result set's columns, looked up once per result set. */
    default JdbcRecords.Columns columns(ResultSetMetaData md) throws SQLException {
        return JdbcRecords.Columns.labels(md);
    }

    /**
     * One cell of the current row as JSON, or null for SQL NULL. The {@code extra} column's cell
     * is parsed as JSON. {@code type} is null unless {@link #columns} looked types up.
     */
    JsonNode cell(ResultSet rs, int index, String column, String type) throws SQLException;
}
