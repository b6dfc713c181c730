package dev.minsky.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.minsky.model.SessionRecord;
import dev.minsky.testutil.BrokenStates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The census and the (name, repoPath) stream that the doctor reads at scale give what reading
 * every record gives, on each backend that answers them its own way (SQL over the createdAt index,
 * a streaming pass over the JSON file).
 */
class SessionCensusTest {
    @TempDir
    Path home;

    List<SessionRecord> records(Instant now) {
        List<SessionRecord> out = new ArrayList<>();
        int[] ages = {0, 3, 7, 8, 89, 90, 91, 400};
        for (int i = 0; i < ages.length; i++) {
            SessionRecord r = SessionRecord.create("s-" + i, "minsky", "https://example.com/m.git",
                    now.minus(Duration.ofDays(ages[i])).minusSeconds(1));
            out.add(i % 3 == 0 ? r : r.with("repoPath", "/ws/s-" + i));
        }
        return out;
    }

    void check(String backend) throws Exception {
        BrokenStates.config(home, Map.of("backend", backend));
        Instant now = Instant.now();
        BrokenStates.fill(home, records(now));
        List<Instant> cutoffs = List.of(now.minus(Duration.ofDays(7)), now.minus(Duration.ofDays(90)));
        try (SessionStore s = Stores.open(BrokenStates.settings(home), false)) {
            SessionCensus c = s.census(cutoffs);
            assertEquals(8, c.count(), backend);
            // created 7d+1s, 8d, 89d, 90d, 91d, 400d ago are at or before now-7d; 90d, 91d, 400d before now-90d
            assertEquals(List.of(6L, 3L), c.createdAtOrBefore(), backend);
            assertEquals(now.minus(Duration.ofDays(400)).minusSeconds(1).toEpochMilli(), c.oldest().toEpochMilli(), backend);
            Map<String, String> streamed = new TreeMap<>();
            s.forEachRepoPath((name, path) -> streamed.put(name, String.valueOf(path)));
            Map<String, String> listed = new TreeMap<>();
            for (SessionRecord r : s.list(SessionQuery.ALL)) {
                listed.put(r.session(), String.valueOf(r.repoPath()));
            }
            assertEquals(listed, streamed, backend);
            assertEquals("null", streamed.get("s-0"));
            assertEquals("/ws/s-1", streamed.get("s-1"));
        }
    }

    @Test
    void sqlite_counts_by_age_through_sql_as_reading_every_record_would() throws Exception {
        check("sqlite");
    }

    @Test
    void json_counts_by_age_in_one_streaming_pass_as_reading_every_record_would() throws Exception {
        check("json");
    }

    @Test
    void an_empty_store_has_no_oldest_session() throws Exception {
        BrokenStates.config(home, Map.of("backend", "sqlite"));
        BrokenStates.fill(home, List.of());
        try (SessionStore s = Stores.open(BrokenStates.settings(home), false)) {
            SessionCensus c = s.census(List.of(Instant.now()));
            assertEquals(0, c.count());
            assertEquals(List.of(0L), c.createdAtOrBefore());
            assertEquals(null, c.oldest());
        }
    }
}
