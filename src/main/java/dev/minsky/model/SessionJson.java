package dev.minsky.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.MinskyException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one JSON format of the JSON store, exports, backups and imports: an array of records. The
 * older {@code {"sessions": [...], "baseDir": "..."}} object is read too.
 */
public final class SessionJson {
    private SessionJson() {}

    /** Made on first use: reading a store and printing records need only {@link JsonTrees} (issue 12). */
    private static final class Mapper {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /**
     * The mapper of the session JSON (pretty-printed output). Building it costs a short command
     * tens of ms: where jackson-core is enough, use {@link JsonTrees}.
     */
    public static ObjectMapper mapper() {
        return Mapper.MAPPER;
    }

    /** Why a document could not be read as sessions. */
    public static final class FormatException extends Exception {
        private final long line;
        private final long column;

        public FormatException(String message, long line, long column) {
            super(message);
            this.line = line;
            this.column = column;
        }

        /** 1-based line of the error, or -1. */
        public long line() {
            return line;
        }

        public long column() {
            return column;
        }

        public String where() {
            return line > 0 ? " at line " + line + ", column " + column : "";
        }
    }

    /** Parses a document; every record must be valid and names unique. */
    public static List<SessionRecord> parse(byte[] data) throws FormatException {
        JsonNode root;
        try {
            root = mapper().readTree(data);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new FormatException("not valid JSON: " + e.getOriginalMessage(),
                    loc == null ? -1 : loc.getLineNr(), loc == null ? -1 : loc.getColumnNr());
        } catch (IOException e) {
            throw new FormatException("cannot read: " + e.getMessage(), -1, -1);
        }
        if (root == null || root.isMissingNode()) {
            throw new FormatException("the document is empty", -1, -1);
        }
        JsonNode array = root;
        if (root.isObject()) {
            array = root.get("sessions");
            if (array == null || !array.isArray()) {
                throw new FormatException("expected an array of session records (or an object with a \"sessions\" array)", 1, 1);
            }
        } else if (!root.isArray()) {
            throw new FormatException("expected an array of session records, found " + root.getNodeType().name().toLowerCase(), 1, 1);
        }
        List<SessionRecord> out = new ArrayList<>(array.size());
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode el : array) {
            if (!el.isObject()) {
                throw new FormatException("element " + i + " is not an object", -1, -1);
            }
            SessionRecord r = SessionRecord.adopt((ObjectNode) el); // the tree is ours and dropped after this loop
            String problem = r.validate();
            if (problem != null) {
                throw new FormatException("record " + i + (r.session() != null ? " ('" + r.session() + "')" : "") + ": " + problem, -1, -1);
            }
            if (!names.add(r.session())) {
                throw new FormatException("record " + i + ": duplicate session name '" + r.session() + "'", -1, -1);
            }
            out.add(r);
            i++;
        }
        return out;
    }

    /**
     * {@link #parse(byte[])}, telling {@code recordRead} of each record as it is read and checked
     * (a progress bar counts them). The usual document (an array of valid records with unique
     * names) is read one record at a time; anything else is handed to {@link #parse(byte[])}, so
     * the result and every error are exactly the same.
     */
    public static List<SessionRecord> parseCounted(byte[] data, Runnable recordRead) throws FormatException {
        return parseCounted(data, end -> recordRead.run());
    }

    /**
     * {@link #parseCounted(byte[], Runnable)}, telling {@code recordEnd} after each record the byte
     * offset where it ends (a progress bar counts the bytes against {@code data.length}).
     */
    public static List<SessionRecord> parseCounted(byte[] data, java.util.function.LongConsumer recordEnd) throws FormatException {
        List<SessionRecord> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        try (com.fasterxml.jackson.core.JsonParser p = mapper().getFactory().createParser(data)) { // readValueAsTree needs the mapper
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                return parse(data);
            }
            com.fasterxml.jackson.core.JsonToken t;
            while ((t = p.nextToken()) != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                if (t != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    return parse(data);
                }
                JsonNode el = p.readValueAsTree();
                if (!(el instanceof ObjectNode o)) {
                    return parse(data);
                }
                SessionRecord r = SessionRecord.adopt(o);
                if (r.validate() != null || !names.add(r.session())) {
                    return parse(data);
                }
                out.add(r);
                recordEnd.accept(p.currentLocation().getByteOffset());
            }
            if (p.nextToken() != null) {
                return parse(data);
            }
        } catch (IOException | RuntimeException e) {
            return parse(data);
        }
        return out;
    }

    /** The largest export, backup or import file read (issue 13: files named by the user are bounded). */
    public static final long MAX_IMPORT_BYTES = 1L << 30;

    /** Like {@link #parse} but for files named by the user: errors become BAD_INPUT. */
    public static List<SessionRecord> parseFile(java.nio.file.Path file) {
        return parseFile(file, size -> { }, n -> { });
    }

    /**
     * {@link #parseFile(java.nio.file.Path)}, telling {@code size} how many bytes the file has once
     * read, then {@code bytesDone} how many more of them have been parsed and checked, as it goes.
     */
    public static List<SessionRecord> parseFile(java.nio.file.Path file, java.util.function.LongConsumer size,
                                                java.util.function.LongConsumer bytesDone) {
        byte[] data;
        try {
            // an export of a million sessions is a few hundred MB: generous, but never a FIFO or a device
            data = dev.minsky.util.SafeFiles.readBounded(file, MAX_IMPORT_BYTES, "session file");
        } catch (java.nio.file.NoSuchFileException e) {
            throw MinskyException.badInput("file not found: " + file, "check the path");
        } catch (IOException e) {
            throw MinskyException.badInput("cannot read " + file + ": " + e.getMessage(), "check the path and its permissions");
        }
        try {
            size.accept(data.length);
            long[] done = {0};
            List<SessionRecord> out = parseCounted(data, (long end) -> {
                bytesDone.accept(end - done[0]);
                done[0] = end;
            });
            bytesDone.accept(data.length - done[0]); // the closing bracket and whitespace: the count reaches the size
            return out;
        } catch (FormatException e) {
            throw MinskyException.badInput(file + " is not a session export" + e.where() + ": " + e.getMessage(),
                    "give a file written by 'minsky sessiondb export' or a backup from the backups directory");
        }
    }

    /**
     * The export document of these records: a pretty-printed JSON array, the JSON backend's file
     * format. Each record is written straight from its own node: no copy of the whole set is built
     * first (at 100,000 sessions that copy was tens of megabytes).
     */
    public static byte[] write(Collection<SessionRecord> records) {
        try (com.fasterxml.jackson.core.util.ByteArrayBuilder out = new com.fasterxml.jackson.core.util.ByteArrayBuilder()) {
            writeTo(out, records);
            return out.toByteArray();
        }
    }

    /** Writes the export document of these records to {@code out}, which is flushed and left open. */
    public static void writeTo(java.io.OutputStream out, Collection<SessionRecord> records) {
        writeTo(out, sink -> records.forEach(sink));
    }

    /**
     * Writes the export document of the records that {@code source} hands to its sink, as they
     * come, to {@code out}, which is flushed and left open.
     */
    public static void writeTo(java.io.OutputStream out,
                               java.util.function.Consumer<java.util.function.Consumer<SessionRecord>> source) {
        try (com.fasterxml.jackson.core.JsonGenerator g = JsonTrees.prettyGenerator(out)) {
            g.writeStartArray();
            source.accept(r -> {
                try {
                    JsonTrees.write(g, r.node());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot write the records", e);
                }
            });
            g.writeEndArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the records", e);
        }
    }

    /**
     * How many records {@link #parse} would return for this file, or -1 where it would throw (or
     * the file cannot be read), read as a stream of tokens: no tree and no record is built, only
     * the names are kept (for duplicates). Each record is checked as {@link SessionRecord#validate}
     * checks it, on the last value of a repeated field as the tree keeps it. Backups are counted
     * this way: a backup of 200,000 sessions is not decoded to be counted.
     */
    public static long countIfValid(java.nio.file.Path file) {
        try (com.fasterxml.jackson.core.JsonParser p = JsonTrees.FACTORY.createParser(file.toFile())) {
            com.fasterxml.jackson.core.JsonToken t = p.nextToken();
            if (t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                return countRecords(p);
            }
            if (t != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return -1;
            }
            long last = -1; // the tree keeps the last "sessions" field
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                t = p.nextToken();
                if ("sessions".equals(name)) {
                    if (t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                        last = countRecords(p);
                    } else {
                        p.skipChildren();
                        last = -1;
                    }
                } else {
                    p.skipChildren();
                }
            }
            return last;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The records of an array whose START_ARRAY was just read, consumed to its end: their number, or -1. */
    private static long countRecords(com.fasterxml.jackson.core.JsonParser p) throws IOException {
        Set<String> names = new HashSet<>();
        long n = 0;
        boolean valid = true;
        com.fasterxml.jackson.core.JsonToken t;
        while ((t = p.nextToken()) != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
            if (t == null) {
                throw new IOException("the document ends inside the array");
            }
            if (t != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                p.skipChildren();
                valid = false;
                continue;
            }
            java.util.Map<String, Object> seen = new java.util.HashMap<>(8);
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                t = p.nextToken();
                switch (name) {
                    case "session", "repoName", "repoUrl", "createdAt" ->
                            seen.put(name, t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? p.getText() : t);
                    case SessionRecord.REBUILT_FROM, "prApproved", "prState", "pullRequest" -> seen.put(name, t);
                    default -> { }
                }
                p.skipChildren();
            }
            if (valid && validRecord(seen) && names.add((String) seen.get("session"))) {
                n++;
            } else {
                valid = false;
            }
        }
        return valid ? n : -1;
    }

    /** {@link SessionRecord#validate} on the fields' last tokens (a String for a string value). */
    private static boolean validRecord(java.util.Map<String, Object> seen) {
        Object rebuiltFrom = seen.get(SessionRecord.REBUILT_FROM);
        boolean rebuilt = rebuiltFrom != null && rebuiltFrom != com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
        for (String f : List.of("session", "repoName", "repoUrl", "createdAt")) {
            Object v = seen.get(f);
            if (v == null || v == com.fasterxml.jackson.core.JsonToken.VALUE_NULL) {
                return false;
            }
            if (rebuilt && "".equals(v) && (f.equals("repoName") || f.equals("repoUrl"))) {
                continue;
            }
            if (!(v instanceof String text) || text.isBlank()) {
                return false;
            }
        }
        if (Timestamps.parse((String) seen.get("createdAt")) == null) {
            return false;
        }
        Object approved = seen.get("prApproved");
        if (approved != null && approved != com.fasterxml.jackson.core.JsonToken.VALUE_NULL
                && approved != com.fasterxml.jackson.core.JsonToken.VALUE_TRUE && approved != com.fasterxml.jackson.core.JsonToken.VALUE_FALSE) {
            return false;
        }
        for (String f : SessionRecord.OBJECT_FIELDS) {
            Object v = seen.get(f);
            if (v != null && v != com.fasterxml.jackson.core.JsonToken.VALUE_NULL && v != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return false;
            }
        }
        return true;
    }
}
