package dev.minsky.doctor.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.minsky.doctor.model.ProbeStatus;
import dev.minsky.model.SessionJson;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The closed sets are enums whose JSON strings are the ones scripts and old journals hold
 * (docs/doctor-contract.md, journal.json): written by Jackson as exactly those strings, and read back.
 */
class ClosedSetsTest {
    @Test
    void probe_status_strings() throws Exception {
        assertStrings(List.of("ok", "failed", "timeout", "skipped"), ProbeStatus.values());
        for (ProbeStatus s : ProbeStatus.values()) {
            assertEquals(s, ProbeStatus.of(s.json()));
        }
        assertNull(ProbeStatus.of("OK"));
    }

    @Test
    void fix_result_strings() throws Exception {
        assertStrings(List.of("started", "applied", "skipped", "failed", "rolled-back", "undone"), FixResult.values());
        for (FixResult r : FixResult.values()) {
            assertEquals(r, FixResult.of(r.json()));
        }
        assertNull(FixResult.of("rolled_back"));
    }

    @Test
    void journal_state_strings() throws Exception {
        assertStrings(List.of("open", "undone"), JournalState.values());
        for (JournalState s : JournalState.values()) {
            assertEquals(s, JournalState.of(s.json()));
        }
    }

    private static void assertStrings(List<String> expected, Enum<?>[] values) throws Exception {
        assertEquals(expected, Arrays.stream(values).map(Object::toString).toList());
        // Jackson writes them as the contract's strings, not as the constants' names
        assertEquals(SessionJson.mapper().writeValueAsString(expected), SessionJson.mapper().writeValueAsString(List.of(values)));
    }
}
