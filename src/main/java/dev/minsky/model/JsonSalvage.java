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
 * Reads a damaged session document as far as it goes: every complete, valid record before the
 * first error is kept. Used by the doctor to describe the damage and by the fix that salvages it.
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

    public static Result read(byte[] data) {
        List<SessionRecord> records = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String format = "other";
        try (JsonParser p = SessionJson.MAPPER.getFactory().createParser(data)) {
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
                        readElements(p, records, names);
                    } else {
                        p.skipChildren();
                    }
                }
                if (!"legacy-object".equals(format)) {
                    return new Result(records, false, "object without a \"sessions\" array", -1, -1, false, format);
                }
            } else if (t == JsonToken.START_ARRAY) {
                format = "array";
                readElements(p, records, names);
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

    private static void readElements(JsonParser p, List<SessionRecord> records, Set<String> names) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new JsonEOFException(p, null, "Unexpected end-of-input in array of sessions");
            }
            JsonNode el = p.readValueAsTree();
            if (el instanceof ObjectNode o) {
                SessionRecord r = SessionRecord.of(o);
                if (r.validate() == null && names.add(r.session())) {
                    records.add(r);
                }
            }
        }
    }
}
