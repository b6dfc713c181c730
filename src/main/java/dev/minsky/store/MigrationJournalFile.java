package dev.minsky.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.model.SessionJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The migration journal's document and how to read it, {@code <state>/migration-journal.json}:
 * one JSON object describing the latest {@code sessiondb migrate to}. Here, beside the stores,
 * so that {@code sessiondb migrate} (which writes it: {@code admin.MigrationJournal}) and the
 * doctor (which reads it: {@code stores.migrationIncomplete}) both depend on it and not on each
 * other. See docs/doctor-contract.md.
 */
public class MigrationJournalFile {
    public static final String FILE = "migration-journal.json";

    /** The steps of a migration, in order; {@link #SWITCHED} and {@link #FAILED} are final. */
    public static final String STARTED = "started";
    public static final String COPIED = "copied";
    public static final String VERIFIED = "verified";
    public static final String SWITCHED = "switched";
    public static final String FAILED = "failed";
    public static final List<String> FINAL = List.of(SWITCHED, FAILED);

    /**
     * The latest migration as recorded.
     *
     * @param state the last step reached
     * @param error why it failed (FAILED only)
     */
    public record Entry(String id, String from, String to, String fromLocation, String toLocation, long sessions,
                        String backup, String state, String startedAt, String updatedAt, String error) {
        public boolean incomplete() {
            return !FINAL.contains(state);
        }

        /** The journal document of this entry. */
        public ObjectNode toJson() {
            ObjectNode n = SessionJson.mapper().createObjectNode();
            n.put("schemaVersion", 1);
            n.put("id", id);
            n.put("from", from);
            n.put("to", to);
            n.put("fromLocation", fromLocation);
            n.put("toLocation", toLocation);
            n.put("sessions", sessions);
            n.put("backup", backup);
            n.put("state", state);
            n.put("startedAt", startedAt);
            n.put("updatedAt", updatedAt);
            n.put("error", error);
            return n;
        }

        static Entry of(JsonNode n) {
            return new Entry(text(n, "id"), text(n, "from"), text(n, "to"), text(n, "fromLocation"), text(n, "toLocation"),
                    n.path("sessions").asLong(-1), text(n, "backup"), text(n, "state"), text(n, "startedAt"),
                    text(n, "updatedAt"), text(n, "error"));
        }

        private static String text(JsonNode n, String f) {
            JsonNode v = n.get(f);
            return v == null || v.isNull() ? null : v.asText();
        }
    }

    private final Path file;

    public MigrationJournalFile(Path stateDir) {
        this.file = stateDir.resolve(FILE);
    }

    public Path file() {
        return file;
    }

    /** The latest migration, empty when none was ever journaled; throws IOException when unreadable. */
    public Optional<Entry> read() throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        JsonNode n = SessionJson.mapper().readTree(data);
        if (n == null || !n.isObject() || !n.has("state")) {
            throw new IOException(file + " is not a migration journal");
        }
        return Optional.of(Entry.of(n));
    }

    /** Like {@link #read()} but an unreadable journal is reported as empty. */
    public Optional<Entry> readQuietly() {
        try {
            return read();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
