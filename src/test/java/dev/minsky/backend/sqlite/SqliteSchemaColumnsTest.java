package dev.minsky.backend.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The column list is derived from the record's fields; it must still be exactly Minsky's table. */
class SqliteSchemaColumnsTest {
    @Test
    void the_columns_are_minskys_camel_case_table_then_extra() {
        assertEquals(List.of("session", "repoName", "repoUrl", "createdAt", "taskId", "branch", "repoPath", "prBranch",
                "prApproved", "prState", "backendType", "pullRequest", "extra"), SqliteSchema.COLUMNS);
        assertEquals("TEXT PRIMARY KEY", SqliteSchema.type("session"));
        assertEquals("INTEGER", SqliteSchema.type("prApproved"));
    }
}
