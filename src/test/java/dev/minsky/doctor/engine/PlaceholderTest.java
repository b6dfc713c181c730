package dev.minsky.doctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The placeholder forms playbook texts use (docs/playbooks.md). */
class PlaceholderTest {
    @Test
    void count_gives_the_number_with_a_noun_that_agrees() {
        assertEquals("restore 1 session", Engine.fill("restore ${count:n:session}", Map.of("n", 1L)));
        assertEquals("restore 0 sessions", Engine.fill("restore ${count:n:session}", Map.of("n", 0L)));
        assertEquals("restore 12 sessions", Engine.fill("restore ${count:n:session}", Map.of("n", 12L)));
        assertEquals("1.0 day old", Engine.fill("${count:d:day} old", Map.of("d", 1.0)));
        assertEquals("2.5 days old", Engine.fill("${count:d:day} old", Map.of("d", 2.5)));
        assertEquals("keep the 1 complete record", Engine.fill("keep the ${count:n:complete record}", Map.of("n", 1L)));
        assertEquals("3 entries", Engine.fill("${count:n:entry:entries}", Map.of("n", 3L)));
    }

    @Test
    void plural_gives_the_noun_alone_and_a_missing_fact_stays_visible() {
        assertEquals("7 sessions", Engine.fill("${n} ${plural:n:session}", Map.of("n", 7L)));
        assertEquals("1 session", Engine.fill("${n} ${plural:n:session}", Map.of("n", 1L)));
        assertEquals("merge <n>", Engine.fill("merge ${count:n:session}", Map.of()));
    }
}
