package dev.minsky.backend.json;

import dev.minsky.model.JsonSalvage;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.Progress;
import java.util.List;

/**
 * The counted steps of reading and rewriting a JSON store, shared by {@code sessiondb verify} and
 * {@code repair} and the doctor's {@code json.salvage}, so that a salvage of 100,000 records shows
 * the same bar (records, rate, total) whichever command runs it.
 */
public final class JsonSteps {
    public static final String CHECKING = "checking JSON records";
    public static final String FINDING = "finding salvageable JSON records";
    public static final String SALVAGING = "salvaging JSON records";
    public static final String WRITING = "writing salvaged records";
    public static final String READING_BACK = "reading the repaired file back";

    private JsonSteps() {}

    /** Parses the whole document, each record counted under {@link #CHECKING}. */
    public static List<SessionRecord> check(byte[] data, Progress progress) throws SessionJson.FormatException {
        progress.phase(CHECKING);
        List<SessionRecord> records = SessionJson.parseCounted(data, () -> progress.advance(1));
        counted(progress, records.size());
        return records;
    }

    /** Every complete record of a damaged document ({@link JsonSalvage}), each one counted under {@code step} as it is found. */
    public static JsonSalvage.Result salvage(byte[] data, String step, Progress progress) {
        progress.phase(step);
        JsonSalvage.Result salvage = JsonSalvage.read(data, () -> progress.advance(1));
        counted(progress, salvage.records().size());
        return salvage;
    }

    /** The document of {@code records}, each one counted under {@code step} against their number. */
    public static byte[] write(List<SessionRecord> records, String step, Progress progress) {
        progress.phase(step, records.size());
        try (com.fasterxml.jackson.core.util.ByteArrayBuilder out = new com.fasterxml.jackson.core.util.ByteArrayBuilder()) {
            SessionJson.writeTo(out, sink -> records.forEach(r -> {
                sink.accept(r);
                progress.advance(1);
            }));
            return out.toByteArray();
        }
    }

    /** The rewritten file parsed again under {@link #READING_BACK}, counted against the {@code expected} records. */
    public static List<SessionRecord> readBack(byte[] data, long expected, Progress progress) throws SessionJson.FormatException {
        progress.phase(READING_BACK, expected);
        return SessionJson.parseCounted(data, () -> progress.advance(1));
    }

    /**
     * The records of a step were counted without knowing how many there would be: now that it is
     * known, it is the step's total, so the bar's last frame shows the count reached ({@code n/n 100%}).
     */
    public static void counted(Progress progress, long n) {
        if (n > 0) {
            progress.total(n);
            progress.advance(0);
        }
    }
}
