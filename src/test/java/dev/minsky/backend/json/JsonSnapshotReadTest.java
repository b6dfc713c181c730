package dev.minsky.backend.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.WorkspaceCensus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor's {@code store.sessions} asks a JSON store four questions in a row (a page, a get,
 * the census, the workspaces): the file is read and parsed once for all of them, and a write by
 * anyone (a new file by rename) is seen by the next question.
 */
class JsonSnapshotReadTest {
    @TempDir
    Path dir;

    @Test
    void the_sessions_probes_questions_read_the_file_once_and_a_write_is_seen_next() {
        Path file = dir.resolve("session-db.json");
        JsonSessionStore writer = new JsonSessionStore(file);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 30; i++) {
            writer.insert(SessionRecord.create("s-" + i, "r", "/tmp/r", t.plusSeconds(i)));
        }
        JsonSessionStore reader = new JsonSessionStore(file);
        Instant now = t.plus(Duration.ofDays(100));
        // the probe's order: SessionsProbe.run
        List<SessionRecord> page = reader.list(new SessionQuery(null, 50, 0));
        assertEquals(30, page.size());
        assertTrue(reader.get(page.get(0).session()).isPresent());
        var census = reader.census(List.of(now.minus(Duration.ofDays(7)), now.minus(Duration.ofDays(90))));
        assertEquals(30, census.count());
        assertEquals(30L, census.createdAtOrBefore().get(1));
        WorkspaceCensus ws = reader.workspaceCensus(new WorkspaceCensus.Tally(dir + "/sessions/", new HashMap<>(), (n, p) -> false, 20));
        assertEquals(0, ws.missing());
        assertEquals(1, reader.passes(), "one pass over the file for all four questions");

        writer.insert(SessionRecord.create("s-new", "r", "/tmp/r", t.plusSeconds(99)));
        assertEquals(31, reader.list(new SessionQuery(null, 50, 0)).size(), "a write by another store is seen");
        assertTrue(reader.get("s-new").isPresent());
        assertEquals(2, reader.passes());
    }

    @Test
    void a_read_modify_write_never_works_from_the_snapshot() throws Exception {
        Path file = dir.resolve("session-db.json");
        JsonSessionStore a = new JsonSessionStore(file);
        a.insert(SessionRecord.create("one", "r", "/tmp/r", Instant.parse("2026-01-01T00:00:00Z")));
        assertEquals(1, a.list(SessionQuery.ALL).size());
        new JsonSessionStore(file).insert(SessionRecord.create("two", "r", "/tmp/r", Instant.parse("2026-01-02T00:00:00Z")));
        a.insert(SessionRecord.create("three", "r", "/tmp/r", Instant.parse("2026-01-03T00:00:00Z")));
        String text = Files.readString(file);
        assertTrue(text.contains("\"one\"") && text.contains("\"two\"") && text.contains("\"three\""), text);
    }
}
