package dev.minsky.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times as Minsky writes them: JavaScript's {@code Date.toISOString()}, always with milliseconds. */
public final class Timestamps {
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Timestamps() {}

    public static String iso(Instant instant) {
        return ISO_MILLIS.format(instant);
    }
}
