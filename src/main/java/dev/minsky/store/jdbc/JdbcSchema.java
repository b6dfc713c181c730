package dev.minsky.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The schema steps SQLite and PostgreSQL take the same way: the {@code sessions} table is created
 * whole or only added to, and the version lives in {@code minsky_meta}. How a backend finds its
 * tables, columns and indexes is its own.
 */
public final class JdbcSchema {
    /** The table recording the schema version (key {@code schemaVersion}). */
    public static final String META = "minsky_meta";

    private JdbcSchema() {}

    /**
     * Creates the sessions table with every column, or adds the columns an existing one lacks.
     * Never drops or retypes a column. An added column is nullable and no key: existing rows have
     * no value for it.
     *
     * @param table whether the table exists
     * @param existing its columns
     * @param columns every column this build writes, in table order
     * @param type a column's type with its constraints, as in CREATE TABLE
     */
    public static void createOrAddColumns(Statement st, boolean table, Collection<String> existing, List<String> columns,
                                          UnaryOperator<String> type) throws SQLException {
        if (!table) {
            StringBuilder sb = new StringBuilder("CREATE TABLE sessions (");
            for (int i = 0; i < columns.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(columns.get(i)).append(' ').append(type.apply(columns.get(i)));
            }
            st.execute(sb.append(')').toString());
            return;
        }
        for (String col : columns) {
            if (!existing.contains(col)) {
                String t = type.apply(col).replace(" NOT NULL", "").replace(" PRIMARY KEY", "");
                st.execute("ALTER TABLE sessions ADD COLUMN " + col + " " + t);
            }
        }
    }

    /**
     * The version recorded in {@link #META} (which must exist), {@code whenNone} when it records
     * none, -1 when what it records is not a number.
     */
    public static int recordedVersion(Connection c, int whenNone) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT value FROM " + META + " WHERE key = 'schemaVersion'")) {
            if (!rs.next()) {
                return whenNone;
            }
            String v = rs.getString(1);
            try {
                return v == null ? -1 : Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
