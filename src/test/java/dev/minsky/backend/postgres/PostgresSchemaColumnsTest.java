package dev.minsky.backend.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The column list is derived from the record's fields; it must still be exactly Minsky's table. */
class PostgresSchemaColumnsTest {
    @Test
    void the_columns_are_minskys_snake_case_table_then_extra_with_their_types() {
        assertEquals(List.of("session", "repo_name", "repo_url", "created_at", "task_id", "branch", "repo_path",
                "pr_branch", "pr_approved", "pr_state", "backend_type", "pull_request", "extra"), PostgresSchema.NAMES);
        assertEquals(List.of("text PRIMARY KEY", "text NOT NULL", "text", "timestamptz NOT NULL", "text", "text", "text",
                        "text", "boolean", "jsonb", "text", "jsonb", "jsonb"),
                PostgresSchema.NAMES.stream().map(PostgresSchema::type).toList());
    }

    @Test
    void a_column_name_maps_back_to_its_field() {
        for (String c : PostgresSchema.NAMES) {
            assertEquals(c, PostgresRows.column(PostgresRows.FORMAT.field(c)));
        }
        assertEquals("pullRequest", PostgresRows.FORMAT.field("pull_request"));
    }
}
