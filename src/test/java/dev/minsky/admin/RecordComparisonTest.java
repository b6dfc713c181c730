package dev.minsky.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordComparisonTest {
    static SessionRecord rec(String json) throws Exception {
        return SessionRecord.of((ObjectNode) SessionJson.mapper().readTree(json));
    }

    @Test
    void field_order_null_versus_absent_and_the_spelling_of_an_instant_are_not_differences() throws Exception {
        SessionRecord a = rec("{\"session\":\"a\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00.000Z\",\"taskId\":null,\"n\":1}");
        SessionRecord b = rec("{\"n\":1.0,\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"repoName\":\"r\",\"session\":\"a\"}");
        assertTrue(RecordComparison.sameContents(a, b));
        assertTrue(RecordComparison.of(List.of(a), List.of(b)).identical());
    }

    @Test
    void a_changed_unknown_field_a_changed_instant_and_a_lost_record_are_found() throws Exception {
        SessionRecord a = rec("{\"session\":\"a\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"x\":{\"k\":[1,2]}}");
        SessionRecord a2 = rec("{\"session\":\"a\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"x\":{\"k\":[2,1]}}");
        SessionRecord a3 = rec("{\"session\":\"a\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:01Z\",\"x\":{\"k\":[1,2]}}");
        SessionRecord b = rec("{\"session\":\"b\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00Z\"}");
        SessionRecord c = rec("{\"session\":\"c\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00Z\"}");
        assertFalse(RecordComparison.sameContents(a, a2));
        assertFalse(RecordComparison.sameContents(a, a3));
        RecordComparison cmp = RecordComparison.of(List.of(a, b), List.of(a2, c));
        assertEquals(List.of("b"), cmp.missing());
        assertEquals(List.of("a"), cmp.different());
        assertEquals(List.of("c"), cmp.extra());
        assertFalse(cmp.allPresent());
        assertTrue(cmp.summary().contains("0 of 2 sessions identical"), cmp.summary());
    }

    @Test
    void digests_agree_with_the_record_comparison() throws Exception {
        SessionRecord a = rec("{\"session\":\"a\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00.000Z\",\"x\":{\"b\":1,\"a\":[1,2]}}");
        SessionRecord same = rec("{\"x\":{\"a\":[1,2],\"b\":1.0},\"createdAt\":\"2026-01-01T00:00:00Z\",\"repoUrl\":\"u\",\"repoName\":\"r\",\"session\":\"a\",\"taskId\":null}");
        SessionRecord changed = rec("{\"session\":\"a\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00.000Z\",\"x\":{\"b\":1,\"a\":[1,3]}}");
        SessionRecord b = rec("{\"session\":\"b\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00Z\"}");
        assertEquals(RecordComparison.digest(a), RecordComparison.digest(same));
        assertFalse(RecordComparison.digest(a).equals(RecordComparison.digest(changed)));
        assertTrue(RecordComparison.of(RecordComparison.digests(List.of(a, b)), List.of(same, b)).identical());
        RecordComparison cmp = RecordComparison.of(RecordComparison.digests(List.of(a, b)), List.of(changed));
        assertEquals(List.of("b"), cmp.missing());
        assertEquals(List.of("a"), cmp.different());
    }
}
