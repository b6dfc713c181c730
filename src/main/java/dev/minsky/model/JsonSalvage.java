package dev.minsky.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a damaged session document: every complete, valid record before the first error is kept,
 * and after the error the reader resynchronises on each '{' that begins a whole, valid record, so
 * the records after the damage are kept too. A record is only ever produced from an object that
 * is whole in the file (it parses to its closing brace and has every required field), and never
 * twice. Used by the doctor to describe the damage and by the fix that salvages it.
 */
public final class JsonSalvage {

    /**
     * @param records the complete, valid records in document order (duplicates dropped)
     * @param parsedOk true when the whole document parsed
     * @param error the parse error, or null
     * @param errorOffset byte offset of the error, or -1
     * @param errorLine line of the error, or -1
     * @param endsMidDocument true when the text simply stops inside the document (a truncated write)
     * @param format "array", "legacy-object" or "other"
     */
    public record Result(List<SessionRecord> records, boolean parsedOk, String error, long errorOffset, long errorLine,
                         boolean endsMidDocument, String format) {}

    private JsonSalvage() {}

    /** The records kept, each one told as it is added. */
    private static final class CountingList extends ArrayList<SessionRecord> {
        private final transient Runnable added;

        CountingList(Runnable added) {
            this.added = added;
        }

        @Override
        public boolean add(SessionRecord r) {
            added.run();
            return super.add(r);
        }
    }

    public static Result read(byte[] data) {
        return read(data, () -> {});
    }

    /** {@link #read(byte[])}, telling {@code salvaged} of each complete record kept, as it is found. */
    public static Result read(byte[] data, Runnable salvaged) {
        List<SessionRecord> records = new CountingList(salvaged);
        Set<String> names = new HashSet<>();
        long[] resumeAt = {0};
        Result first = readStrict(data, records, names, resumeAt);
        if (!first.parsedOk()) {
            resync(data, (int) Math.min(Math.max(0, resumeAt[0]), data.length), records, names);
        }
        return first;
    }

    /**
     * From {@code from} on, every '{' that opens an object which parses whole and validates as a
     * session record yields that record (unless its name was seen already); the scan then goes on
     * after its closing brace. Anything else (garbage, a damaged record, an object nested in a
     * record whose start was lost) is skipped one byte at a time.
     */
    private static void resync(byte[] data, int from, List<SessionRecord> records, Set<String> names) {
        int i = from;
        while (i < data.length) {
            if (data[i] != '{') {
                i++;
                continue;
            }
            int end = -1;
            try (JsonParser p = SessionJson.mapper().getFactory().createParser(new java.io.ByteArrayInputStream(data, i, data.length - i))) {
                if (p.nextToken() == JsonToken.START_OBJECT) {
                    JsonNode n = p.readValueAsTree();
                    if (n instanceof ObjectNode o && n.has("session")) {
                        SessionRecord r = SessionRecord.of(o);
                        if (r.validate() == null) {
                            end = i + (int) p.currentLocation().getByteOffset();
                            if (names.add(r.session())) {
                                records.add(r);
                            }
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not a whole record here: go on with the next byte
            }
            i = end > i ? end : i + 1;
        }
    }

    private static Result readStrict(byte[] data, List<SessionRecord> records, Set<String> names, long[] resumeAt) {
        String format = "other";
        try (JsonParser p = SessionJson.mapper().getFactory().createParser(data)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new Result(records, false, "the document is empty", 0, 1, true, format);
            }
            if (t == JsonToken.START_OBJECT) {
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    t = p.nextToken();
                    if ("sessions".equals(name) && t == JsonToken.START_ARRAY) {
                        format = "legacy-object";
                        readElements(p, records, names, resumeAt);
                    } else {
                        p.skipChildren();
                    }
                }
                if (!"legacy-object".equals(format)) {
                    return new Result(records, false, "object without a \"sessions\" array", -1, -1, false, format);
                }
            } else if (t == JsonToken.START_ARRAY) {
                format = "array";
                readElements(p, records, names, resumeAt);
            } else {
                return new Result(records, false, "not a JSON array or object", 0, 1, false, format);
            }
            if (p.nextToken() != null) {
                return new Result(records, false, "text after the end of the document", p.currentLocation().getByteOffset(),
                        p.currentLocation().getLineNr(), false, format);
            }
            return new Result(records, true, null, -1, -1, false, format);
        } catch (JsonEOFException e) {
            return new Result(records, false, e.getOriginalMessage(), e.getLocation().getByteOffset(),
                    e.getLocation().getLineNr(), true, format);
        } catch (IOException e) {
            long off = -1;
            long line = -1;
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null) {
                off = jpe.getLocation().getByteOffset();
                line = jpe.getLocation().getLineNr();
            }
            String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            // Jackson reports some truncations (inside a string or number) without JsonEOFException.
            boolean eof = msg != null && msg.contains("end-of-input");
            return new Result(records, false, msg, off, line, eof, format);
        }
    }

    /** Reads the array's elements; {@code resumeAt[0]} is kept at the end of the last element read whole. */
    private static void readElements(JsonParser p, List<SessionRecord> records, Set<String> names, long[] resumeAt) throws IOException {
        JsonToken t;
        resumeAt[0] = p.currentLocation().getByteOffset();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new JsonEOFException(p, null, "Unexpected end-of-input in array of sessions");
            }
            JsonNode el = p.readValueAsTree();
            resumeAt[0] = p.currentLocation().getByteOffset();
            if (el instanceof ObjectNode o) {
                SessionRecord r = SessionRecord.of(o);
                if (r.validate() == null && names.add(r.session())) {
                    records.add(r);
                }
            }
        }
    }
}
