package dev.minsky.backend.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.RepairReport;
import dev.minsky.store.VerifyReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonIntegrityTest {
    @TempDir
    Path dir;

    private final JsonStoreProvider provider = new JsonStoreProvider();

    private Settings settings() {
        return new Settings("json", dir, dir, dir.resolve(Settings.JSON_FILE), dir.resolve(Settings.SQLITE_FILE), null, 4, 30000);
    }

    private static final String TWO = "[{\"session\":\"a\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-01T00:00:00.000Z\",\"x\":{\"y\":1}},"
            + "{\"session\":\"b\",\"repoName\":\"r\",\"repoUrl\":\"u\",\"createdAt\":\"2026-01-02T00:00:00.000Z\"}";

    @Test
    void verify_reports_a_truncated_file_and_how_much_can_be_salvaged_without_touching_it() throws Exception {
        byte[] damaged = (TWO + ",{\"session\":\"c\",\"rep").getBytes(StandardCharsets.UTF_8);
        Files.write(settings().jsonPath(), damaged);
        VerifyReport v = provider.verify(settings());
        assertFalse(v.ok());
        assertEquals(2, v.sessions());
        assertTrue(v.problems().get(0).contains("does not parse"), v.problems().toString());
        assertTrue(v.problems().get(0).contains("truncated"), v.problems().toString());
        assertArrayEquals(damaged, Files.readAllBytes(settings().jsonPath()));
    }

    @Test
    void verify_of_a_good_file_counts_it_and_of_a_missing_one_says_so() throws Exception {
        assertFalse(provider.verify(settings()).ok());
        assertFalse(Files.exists(settings().jsonPath()));
        Files.writeString(settings().jsonPath(), TWO + "]");
        VerifyReport v = provider.verify(settings());
        assertTrue(v.ok(), v.problems().toString());
        assertEquals(2, v.sessions());
    }

    @Test
    void repair_keeps_every_complete_record_and_the_damaged_original_beside_it() throws Exception {
        byte[] damaged = (TWO + ",{\"session\":\"c\",\"rep").getBytes(StandardCharsets.UTF_8);
        Files.write(settings().jsonPath(), damaged);
        RepairReport r = provider.repair(settings(), Clock.fixed(Instant.parse("2026-11-27T01:02:03Z"), ZoneOffset.UTC));
        assertTrue(r.changed());
        assertEquals(2, r.sessionsAfter());
        assertEquals(dir.resolve("session-db.json.corrupt-20261127T010203Z"), r.original());
        assertArrayEquals(damaged, Files.readAllBytes(r.original()));
        List<SessionRecord> now = SessionJson.parse(Files.readAllBytes(settings().jsonPath()));
        assertEquals(List.of("a", "b"), now.stream().map(SessionRecord::session).toList());
        assertEquals(1, now.get(0).field("x").get("y").asInt(), "unknown fields survive the salvage");
        assertTrue(provider.verify(settings()).ok());

        RepairReport again = provider.repair(settings(), Clock.systemUTC());
        assertFalse(again.changed(), "a file that parses is left alone");
        assertNull(again.original());
    }

    @Test
    void repair_without_a_store_is_bad_input() {
        MinskyException e = assertThrows(MinskyException.class, () -> provider.repair(settings(), Clock.systemUTC()));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    }
}
