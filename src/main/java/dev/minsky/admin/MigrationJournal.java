package dev.minsky.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.model.SessionJson;
import dev.minsky.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The migration journal, {@code <state>/migration-journal.json}: one JSON object describing the
 * latest {@code sessiondb migrate to}, rewritten atomically at each step. A migration stopped
 * half-way (killed, power loss) leaves a state that is not final, which {@code migrate status} and
 * the doctor ({@code stores.migrationIncomplete}) report. See docs/doctor-contract.md.
 */
public final class MigrationJournal {
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

        ObjectNode toJson() {
            ObjectNode n = SessionJson.MAPPER.createObjectNode();
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

    public MigrationJournal(Path stateDir) {
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
        JsonNode n = SessionJson.MAPPER.readTree(data);
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

    Entry start(String from, String to, String fromLocation, String toLocation, long sessions, String backup, Instant now) {
        Entry e = new Entry(now.toString(), from, to, fromLocation, toLocation, sessions, backup, STARTED, now.toString(),
                now.toString(), null);
        write(e);
        return e;
    }

    Entry step(Entry e, String state, String error, Instant now) {
        Entry next = new Entry(e.id(), e.from(), e.to(), e.fromLocation(), e.toLocation(), e.sessions(), e.backup(), state,
                e.startedAt(), now.toString(), error);
        write(next);
        return next;
    }

    private void write(Entry e) {
        try {
            AtomicFiles.write(file, SessionJson.MAPPER.writeValueAsBytes(e.toJson()), "rw-------");
        } catch (IOException ex) {
            throw dev.minsky.MinskyException.incomplete("cannot write the migration journal " + file + ": " + ex.getMessage(),
                    "nothing was switched; free space or fix permissions of " + file.getParent() + " and retry", ex);
        }
    }

}
