package dev.minsky.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The salvage's resynchronisation: whole records anywhere, never twice, never a damaged one. */
class JsonSalvageResyncTest {
    private static String rec(String name) {
        return "{\"session\":\"" + name + "\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00Z\","
                + "\"prState\":{\"branchName\":\"b\",\"exists\":true}}";
    }

    private static List<String> names(String doc) {
        JsonSalvage.Result r = JsonSalvage.read(doc.getBytes(StandardCharsets.UTF_8));
        assertFalse(r.parsedOk(), doc);
        return r.records().stream().map(SessionRecord::session).toList();
    }

    @Test
    void records_after_garbage_between_records_are_kept() {
        assertEquals(List.of("a", "b", "c"), names("[" + rec("a") + ", @@garbage{{\"x\": ]] ," + rec("b") + "," + rec("c") + "]"));
    }

    @Test
    void a_record_with_garbage_inside_is_not_produced_nor_its_nested_object() {
        String damaged = rec("b").replace("\"repoUrl\":\"u\"", "\"repoUrl\":\u0000\u0001\"u\"");
        assertEquals(List.of("a", "c"), names("[" + rec("a") + "," + damaged + "," + rec("c") + "]"));
    }

    @Test
    void a_record_whose_start_was_overwritten_is_not_rebuilt_from_its_tail() {
        String tail = rec("b").substring(rec("b").indexOf("\"repoName\""));
        assertEquals(List.of("a", "c"), names("[" + rec("a") + ",###" + tail + "," + rec("c") + "]"));
    }

    @Test
    void a_record_that_appears_twice_is_produced_once() {
        assertEquals(List.of("a", "b"), names("[" + rec("a") + ",!!," + rec("b") + "," + rec("a") + "]"));
    }

    @Test
    void a_record_missing_a_required_field_is_skipped_after_the_damage_too() {
        String noUrl = rec("b").replace("\"repoUrl\":\"u\",", "");
        assertEquals(List.of("a", "c"), names("[" + rec("a") + ",~~," + noUrl + "," + rec("c") + "]"));
    }

    @Test
    void a_truncated_last_record_is_not_produced() {
        String all = "[" + rec("a") + "," + rec("b");
        assertEquals(List.of("a"), names(all.substring(0, all.length() - 3)));
    }
}
