package dev.minsky.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SessionJson#countIfValid} (a token stream) answers what {@link SessionJson#parse} answers, on every kind of document. */
class SessionJsonCountTest {
    @TempDir
    Path dir;

    static final String OK = "{\"session\":\"%s\",\"repoName\":\"m\",\"repoUrl\":\"u\",\"createdAt\":\"2026-11-01T00:00:00.000Z\"}";

    static long parsed(String doc) {
        try {
            return SessionJson.parse(doc.getBytes(StandardCharsets.UTF_8)).size();
        } catch (SessionJson.FormatException e) {
            return -1;
        }
    }

    @Test
    void the_stream_count_agrees_with_a_full_parse() throws Exception {
        String a = OK.formatted("a");
        String b = OK.formatted("b");
        List<String> docs = new ArrayList<>(List.of(
                "[" + a + "," + b + "]", "[]", "", "  ", "{}", "{\"sessions\":[" + a + "]}", "{\"sessions\":5}",
                "{\"sessions\":[" + a + "],\"sessions\":[]}", "{\"sessions\":[1],\"sessions\":[" + a + "," + b + "]}",
                "{\"other\":{\"x\":[1,2]},\"sessions\":[" + b + "]}", "[" + a + "," + a + "]", "[" + a + ",1]", "[" + a + ",null]",
                "[" + a + "," + b, "[" + a + "] trailing", "42", "\"text\"", "null",
                "[{\"session\":\"a\",\"repoName\":\"m\",\"repoUrl\":\"u\"}]",
                "[{\"session\":\"a\",\"repoName\":\" \",\"repoUrl\":\"u\",\"createdAt\":\"2026-11-01T00:00:00Z\"}]",
                "[{\"session\":\"a\",\"repoName\":\"\",\"repoUrl\":\"\",\"createdAt\":\"2026-11-01T00:00:00Z\",\"rebuiltFrom\":\"/ws/a\"}]",
                "[{\"session\":\"a\",\"repoName\":\"\",\"repoUrl\":\"u\",\"createdAt\":\"2026-11-01T00:00:00Z\",\"rebuiltFrom\":null}]",
                "[{\"session\":\"a\",\"repoName\":\"m\",\"repoUrl\":\"u\",\"createdAt\":\"yesterday\"}]",
                "[{\"session\":\"a\",\"repoName\":\"m\",\"repoUrl\":\"u\",\"createdAt\":\"2026-11-01T00:00:00Z\",\"prApproved\":\"yes\"}]",
                "[{\"session\":\"a\",\"repoName\":\"m\",\"repoUrl\":\"u\",\"createdAt\":\"2026-11-01T00:00:00Z\",\"prApproved\":true,\"prState\":{\"x\":1}}]",
                "[{\"session\":\"a\",\"repoName\":\"m\",\"repoUrl\":\"u\",\"createdAt\":\"2026-11-01T00:00:00Z\",\"pullRequest\":[1]}]",
                "[{\"session\":5,\"repoName\":\"m\",\"repoUrl\":\"u\",\"createdAt\":\"2026-11-01T00:00:00Z\"}]",
                "[{\"session\":null,\"session\":\"a\",\"repoName\":\"m\",\"repoUrl\":\"u\",\"createdAt\":\"2026-11-01T00:00:00Z\"}]",
                "[{\"session\":\"a\",\"session\":null,\"repoName\":\"m\",\"repoUrl\":\"u\",\"createdAt\":\"2026-11-01T00:00:00Z\"}]",
                "[{\"session\":\"a\",\"repoName\":\"m\",\"repoUrl\":\"u\",\"createdAt\":\"2026-11-01T00:00:00Z\",\"extra\":{\"deep\":[{\"session\":1}]}}]",
                "[" + a + ",{\"session\":\"c\",\"repoName\":\"m\",\"repoUrl\":\"u\",\"createdAt\":\"2026-11-01T00:00:00Z\" ]"));
        int valid = 0;
        for (int i = 0; i < docs.size(); i++) {
            Path f = dir.resolve("d" + i + ".json");
            Files.writeString(f, docs.get(i));
            long expected = parsed(docs.get(i));
            valid += expected >= 0 ? 1 : 0;
            assertEquals(expected, SessionJson.countIfValid(f), docs.get(i));
        }
        assertTrue(valid > 5 && valid < docs.size() - 5, valid + " of " + docs.size() + " valid: both answers are exercised");
        assertEquals(-1, SessionJson.countIfValid(dir.resolve("missing.json")));
    }
}
