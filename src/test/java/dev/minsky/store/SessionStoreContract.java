package dev.minsky.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every backend must have, run once per backend by a subclass. Subclasses say how
 * to make settings for a fresh, empty place and how to tell whether anything was created there.
 */
public abstract class SessionStoreContract {
    @TempDir
    protected Path tmp;

    protected Settings settings;
    protected StoreProvider provider;

    /** Settings pointing at a fresh place where no store exists yet. */
    protected abstract Settings freshSettings() throws Exception;

    /** True when anything of a store (file, table) exists at the settings' place. */
    protected abstract boolean anythingCreated(Settings s) throws Exception;

    @BeforeEach
    void setUpStore() throws Exception {
        settings = freshSettings();
        provider = Stores.provider(settings);
    }

    protected static Settings fileSettings(String backend, Path dir, String connectionString) {
        return new Settings(backend, dir, dir, dir.resolve(Settings.JSON_FILE), dir.resolve(Settings.SQLITE_FILE),
                connectionString, 4, 30000, 2000);
    }

    protected static SessionRecord rec(String name, String createdAt) {
        return SessionRecord.create(name, "minsky", "https://github.com/edobry/minsky.git", Instant.parse(createdAt))
                .with("branch", name).with("repoPath", "/tmp/ws/" + name);
    }

    protected SessionStore open() {
        return provider.open(settings, true);
    }

    private static List<String> names(List<SessionRecord> rs) {
        return rs.stream().map(SessionRecord::session).toList();
    }

    @Test
    void insert_then_get_returns_the_same_record() {
        try (SessionStore s = open()) {
            SessionRecord r = rec("a", "2026-01-02T03:04:05Z").with("taskId", "md#1");
            s.insert(r);
            assertEquals(r, s.get("a").orElseThrow());
            assertTrue(s.get("nope").isEmpty());
            assertEquals(1, s.count());
            assertEquals(provider.id(), s.backend());
        }
    }

    @Test
    void list_is_ordered_by_creation_time_then_name() {
        try (SessionStore s = open()) {
            s.insert(rec("c", "2026-01-02T00:00:00Z"));
            s.insert(rec("b", "2026-01-01T00:00:00Z"));
            s.insert(rec("a", "2026-01-02T00:00:00Z"));
            s.insert(rec("d", "2025-12-31T23:59:59Z"));
            assertEquals(List.of("d", "b", "a", "c"), names(s.list(SessionQuery.ALL)));
        }
    }

    @Test
    void list_applies_limit_offset_and_task_filter() {
        try (SessionStore s = open()) {
            List<SessionRecord> all = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                all.add(rec(String.format("s%02d", i), String.format("2026-01-01T00:00:%02dZ", i)).with("taskId", i % 2 == 0 ? "md#even" : "md#odd"));
            }
            s.upsertAll(all);
            assertEquals(List.of("s03", "s04", "s05"), names(s.list(new SessionQuery(null, 3, 3))));
            assertEquals(List.of("s08", "s09"), names(s.list(new SessionQuery(null, null, 8))));
            assertEquals(List.of(), names(s.list(new SessionQuery(null, 0, 0))));
            assertEquals(List.of("s01", "s03", "s05", "s07", "s09"), names(s.list(new SessionQuery("md#odd", null, 0))));
            assertEquals(List.of("s02", "s04"), names(s.list(new SessionQuery("md#even", 2, 1))));
            assertEquals(List.of(), names(s.list(new SessionQuery("md#none", null, 0))));
        }
    }

    @Test
    void update_replaces_a_record_and_a_missing_one_is_bad_input() {
        try (SessionStore s = open()) {
            s.insert(rec("a", "2026-01-01T00:00:00Z").with("taskId", "md#1"));
            SessionRecord changed = rec("a", "2026-01-01T00:00:00Z").with(SessionRecord.ENDED_AT, "2026-02-01T00:00:00Z")
                    .with("prBranch", "pr/a");
            s.update(changed);
            assertEquals(changed, s.get("a").orElseThrow(), "update replaces the whole record (taskId is gone)");
            MinskyException e = assertThrows(MinskyException.class, () -> s.update(rec("ghost", "2026-01-01T00:00:00Z")));
            assertEquals(ExitCode.BAD_INPUT, e.exitCode());
            assertEquals(1, s.count());
        }
    }

    @Test
    void delete_removes_one_record_and_says_when_there_was_none() {
        try (SessionStore s = open()) {
            s.insert(rec("a", "2026-01-01T00:00:00Z"));
            s.insert(rec("b", "2026-01-01T00:00:01Z"));
            assertTrue(s.delete("a"));
            assertFalse(s.delete("a"));
            assertEquals(List.of("b"), names(s.list(SessionQuery.ALL)));
        }
    }

    @Test
    void deleteAll_removes_exactly_the_named_records() {
        try (SessionStore s = open()) {
            for (String n : List.of("a", "b", "c", "d")) {
                s.insert(rec(n, "2026-01-01T00:00:00Z"));
            }
            assertEquals(2, s.deleteAll(List.of("b", "d", "missing")));
            assertEquals(List.of("a", "c"), names(s.list(SessionQuery.ALL)));
            assertEquals(0, s.deleteAll(List.of()));
        }
    }

    @Test
    void upsertAll_adds_new_records_and_replaces_existing_ones() {
        try (SessionStore s = open()) {
            s.insert(rec("a", "2026-01-01T00:00:00Z").with("taskId", "old"));
            SessionRecord a2 = rec("a", "2026-01-01T00:00:00Z").with("taskId", "new");
            SessionRecord b = rec("b", "2026-01-01T00:00:01Z");
            s.upsertAll(List.of(a2, b));
            assertEquals(List.of(a2, b), s.list(SessionQuery.ALL));
        }
    }

    @Test
    void replaceAll_makes_the_store_hold_exactly_the_given_records() {
        try (SessionStore s = open()) {
            s.insert(rec("a", "2026-01-01T00:00:00Z"));
            s.insert(rec("b", "2026-01-01T00:00:01Z"));
            SessionRecord c = rec("c", "2026-01-01T00:00:02Z");
            SessionRecord b2 = rec("b", "2026-01-01T00:00:01Z").with("taskId", "md#9");
            s.replaceAll(List.of(b2, c));
            assertEquals(List.of(b2, c), s.list(SessionQuery.ALL));
            s.replaceAll(List.of());
            assertEquals(0, s.count());
        }
    }

    @Test
    void unknown_fields_and_object_fields_survive_exactly() throws Exception {
        ObjectNode n = (ObjectNode) SessionJson.mapper().readTree("""
                {"session":"task-md#7","repoName":"minsky","repoUrl":"git@github.com:edobry/minsky.git",
                 "createdAt":"2026-03-04T05:06:07.123+02:00","taskId":"md#7","branch":"task-md#7",
                 "repoPath":"/w/task-md#7","backendType":"github","prBranch":"pr/task-md#7","prApproved":false,
                 "prState":{"branchName":"pr/task-md#7","exists":true,"lastChecked":"2026-03-05T00:00:00Z","mergedAt":null},
                 "pullRequest":{"number":42,"url":"https://github.com/edobry/minsky/pull/42","title":"Fix \\"quotes\\" and ünïcode",
                                "labels":["a","b"],"draft":false,"reviews":[{"by":"x","state":"APPROVED"}],"ratio":0.5},
                 "custom":{"nested":{"deep":[1,2,{"x":null}]}},"someNumber":12345678901,"aFlag":true,"nothing":null,
                 "extra":"a field literally named extra","endedAt":"2026-03-06T00:00:00Z"}
                """);
        SessionRecord odd = SessionRecord.of((ObjectNode) SessionJson.mapper().readTree("""
                {"session":"odd","repoName":"r","repoUrl":"u","createdAt":"2026-01-01T00:00:00Z",
                 "taskId":17,"prApproved":null,"prState":null,"branch":null,"pullRequest":{}}
                """));
        SessionRecord r = SessionRecord.of(n);
        try (SessionStore s = open()) {
            s.insert(r);
            s.insert(odd);
        }
        try (SessionStore s = provider.open(settings, false)) {
            assertEquals(r, s.get("task-md#7").orElseThrow());
            assertEquals(odd, s.get("odd").orElseThrow(), "known fields of unexpected types keep their type");
            assertEquals(Set.of(r, odd), Set.copyOf(s.list(SessionQuery.ALL)));
            assertEquals("2026-03-04T05:06:07.123+02:00", s.get("task-md#7").orElseThrow().createdAt(),
                    "createdAt keeps its exact text");
        }
    }

    @Test
    void an_invalid_record_is_bad_input_and_changes_nothing() throws Exception {
        SessionRecord bad = SessionRecord.of((ObjectNode) SessionJson.mapper().readTree("""
                {"session":"bad","repoName":"r","repoUrl":"u","createdAt":"yesterday","prApproved":"yes"}
                """));
        try (SessionStore s = open()) {
            s.insert(rec("a", "2026-01-01T00:00:00Z"));
            for (org.junit.jupiter.api.function.Executable write : List.<org.junit.jupiter.api.function.Executable>of(
                    () -> s.insert(bad), () -> s.upsertAll(List.of(rec("b", "2026-01-01T00:00:00Z"), bad)),
                    () -> s.replaceAll(List.of(bad)))) {
                MinskyException e = assertThrows(MinskyException.class, write);
                assertEquals(ExitCode.BAD_INPUT, e.exitCode(), e.getMessage());
            }
            assertEquals(List.of("a"), names(s.list(SessionQuery.ALL)));
        }
    }

    @Test
    void inserting_a_duplicate_name_is_bad_input_and_keeps_the_first() {
        try (SessionStore s = open()) {
            SessionRecord first = rec("a", "2026-01-01T00:00:00Z").with("taskId", "first");
            s.insert(first);
            MinskyException e = assertThrows(MinskyException.class, () -> s.insert(rec("a", "2026-01-02T00:00:00Z")));
            assertEquals(ExitCode.BAD_INPUT, e.exitCode());
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
            assertEquals(first, s.get("a").orElseThrow());
            assertEquals(1, s.count());
        }
    }

    @Test
    void a_missing_store_reads_as_empty_and_nothing_is_created() throws Exception {
        assertFalse(provider.exists(settings));
        try (SessionStore s = provider.open(settings, false)) {
            assertEquals(0, s.count());
            assertEquals(List.of(), s.list(SessionQuery.ALL));
            assertTrue(s.get("a").isEmpty());
        }
        assertFalse(anythingCreated(settings), "a read must not create the store");
        assertFalse(provider.exists(settings));
    }

    @Test
    void init_creates_the_store_and_records_the_schema_version() throws Exception {
        provider.init(settings);
        assertTrue(provider.exists(settings));
        assertTrue(anythingCreated(settings));
        try (SessionStore s = provider.open(settings, false)) {
            assertEquals(provider.currentSchemaVersion(), s.schemaVersion());
            assertEquals(0, s.count());
        }
        VerifyReport v = provider.verify(settings);
        assertTrue(v.ok(), v.problems().toString());
        assertEquals(0, v.sessions());
    }

    @Test
    void init_twice_is_idempotent_and_keeps_the_records() {
        provider.init(settings);
        try (SessionStore s = provider.open(settings, false)) {
            s.insert(rec("a", "2026-01-01T00:00:00Z"));
        }
        provider.init(settings);
        try (SessionStore s = provider.open(settings, false)) {
            assertEquals(provider.currentSchemaVersion(), s.schemaVersion());
            assertEquals(List.of("a"), names(s.list(SessionQuery.ALL)));
        }
    }

    @Test
    void a_write_through_a_store_opened_without_create_makes_the_store() {
        try (SessionStore s = provider.open(settings, false)) {
            s.insert(rec("a", "2026-01-01T00:00:00Z"));
        }
        assertTrue(provider.exists(settings));
        try (SessionStore s = provider.open(settings, false)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void destroy_removes_the_store_and_it_then_reads_as_empty() throws Exception {
        try (SessionStore s = open()) {
            s.insert(rec("a", "2026-01-01T00:00:00Z"));
        }
        provider.destroy(settings);
        assertFalse(provider.exists(settings));
        try (SessionStore s = provider.open(settings, false)) {
            assertEquals(0, s.count());
        }
        provider.destroy(settings); // nothing left to remove: not an error
    }

    @Test
    void verify_counts_the_records() {
        try (SessionStore s = open()) {
            s.upsertAll(List.of(rec("a", "2026-01-01T00:00:00Z"), rec("b", "2026-01-01T00:00:01Z")));
        }
        VerifyReport v = provider.verify(settings);
        assertTrue(v.ok(), v.problems().toString());
        assertEquals(2, v.sessions());
    }

    @Test
    void many_records_round_trip_in_one_bulk_write() {
        List<SessionRecord> all = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            all.add(rec("bulk-" + i, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i).toString()).with("taskId", "md#" + (i % 7)));
        }
        try (SessionStore s = open()) {
            s.replaceAll(all);
            assertEquals(2500, s.count());
            assertEquals(all.stream().map(SessionRecord::session).collect(Collectors.toList()), names(s.list(SessionQuery.ALL)));
            assertEquals(all.get(1234), s.get("bulk-1234").orElseThrow());
        }
    }
}
