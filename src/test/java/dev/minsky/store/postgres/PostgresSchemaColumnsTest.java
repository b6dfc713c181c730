package dev.minsky.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The column list is derived from the record's fields; it must still be exactly Minsky's table. */
class PostgresSchemaColumnsTest {
    @Test
    void the_columns_are_minskys_snake_case_table_then_extra_with_their_types() {
        Map<String, String> minsky = new LinkedHashMap<>();
        minsky.put("session", "text PRIMARY KEY");
        minsky.put("repo_name", "text NOT NULL");
        minsky.put("repo_url", "text");
        minsky.put("created_at", "timestamptz NOT NULL");
        minsky.put("task_id", "text");
        minsky.put("branch", "text");
        minsky.put("repo_path", "text");
        minsky.put("pr_branch", "text");
        minsky.put("pr_approved", "boolean");
        minsky.put("pr_state", "jsonb");
        minsky.put("backend_type", "text");
        minsky.put("pull_request", "jsonb");
        minsky.put("extra", "jsonb");

        assertEquals(java.util.List.copyOf(minsky.keySet()), PostgresSchema.NAMES);
        Map<String, String> types = new LinkedHashMap<>();
        PostgresSchema.NAMES.forEach(c -> types.put(c, PostgresSchema.type(c)));
        assertEquals(minsky, types);
    }

    @Test
    void a_column_name_maps_back_to_its_field() {
        for (String c : PostgresSchema.NAMES) {
            assertEquals(c, PostgresRows.column(PostgresRows.FORMAT.field(c)));
        }
        assertEquals("pullRequest", PostgresRows.FORMAT.field("pull_request"));
    }
}
