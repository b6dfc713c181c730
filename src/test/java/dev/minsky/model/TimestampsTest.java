package dev.minsky.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written reader of createdAt agrees with the JDK's parsers on every input. */
class TimestampsTest {
    private static Instant jdk(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    @Test
    void agrees_with_the_jdk_on_valid_times_with_every_fraction_length_and_on_damaged_ones() {
        Random rnd = new Random(20261127);
        List<String> inputs = new ArrayList<>(List.of(
                "2026-11-01T10:00:00.000Z", "2026-11-01T10:00:00Z", "2024-02-29T23:59:59.999999999Z", "2023-02-29T00:00:00Z",
                "2026-02-30T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
                "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z", "2026-01-01T23:59:60Z",
                "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z", "2026-01-01T00:00:00+02:00",
                "2026-01-01T00:00:00.5+05:30", "2026-01-01t00:00:00z", "2026-01-01 00:00:00Z", "0000-01-01T00:00:00Z",
                "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z",
                "2026-1-01T00:00:00Z", "2026-01-01T00:00:0xZ", "２０２６-01-01T00:00:00Z", "", "Z", "not a time"));
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(rnd.nextLong(-62_000_000_000L, 253_000_000_000L), rnd.nextInt(1_000_000_000));
            String full = t.toString(); // 0, 3, 6 or 9 fraction digits
            inputs.add(full);
            int digits = rnd.nextInt(10);
            String base = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(java.time.ZoneOffset.UTC)
                    .format(t);
            String frac = String.format("%09d", t.getNano()).substring(0, digits);
            inputs.add(base + (digits == 0 ? "" : "." + frac) + "Z");
            // one character changed: the fast path must reject exactly what the JDK rejects
            char[] c = full.toCharArray();
            c[rnd.nextInt(c.length)] = "0123456789-:.TZ+x".charAt(rnd.nextInt(17));
            inputs.add(new String(c));
        }
        int checked = 0;
        for (String s : inputs) {
            assertEquals(jdk(s), Timestamps.parse(s), "'" + s + "'");
            checked++;
        }
        assertEquals(inputs.size(), checked);
        assertNotNull(Timestamps.parseUtc("2026-11-01T10:00:00.000Z"), "Minsky's own form takes the fast path");
        assertNull(Timestamps.parseUtc("2026-01-01T23:59:60Z"), "a leap second is left to the JDK");
    }
}
