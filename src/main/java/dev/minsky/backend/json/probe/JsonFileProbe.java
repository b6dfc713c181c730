package dev.minsky.backend.json.probe;

import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import dev.minsky.model.JsonSalvage;
import dev.minsky.util.AtomicFiles;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the JSON store (read-only) as far as it parses: where it breaks, whether the text simply
 * stops (a truncated write) or is garbage, how many complete records come before the damage, and
 * whether a crashed write left temp files beside it.
 */
public final class JsonFileProbe implements Probe {
    @Override
    public String id() {
        return "json.file";
    }

    @Override
    public String checking() {
        return "the JSON store file";
    }

    /** It reads and parses the whole store: tens of milliseconds, seconds on 200,000 sessions. */
    @Override
    public Cost cost() {
        return Cost.MODERATE;
    }

    @Override
    public boolean appliesTo(String backend) {
        return "json".equals(backend);
    }

    @Override
    public Set<String> produces() {
        return Set.of("json.parse.ok", "json.parse.error", "json.parse.offset", "json.parse.line",
                "json.parse.endsMidDocument", "json.parse.completeRecords", "json.format", "json.binary",
                "json.tempFiles", "store.openSafe");
    }

    @Override
    public void run(ProbeContext ctx) throws IOException {
        Path file = ctx.settings().jsonPath();
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && Files.isDirectory(dir) && Files.isReadable(dir)) {
            String prefix = AtomicFiles.TEMP_PREFIX + file.getFileName();
            try (Stream<Path> s = Files.list(dir)) {
                ctx.emit("json.tempFiles", s.filter(p -> p.getFileName().toString().startsWith(prefix)).count());
            }
        }
        if (!Files.isRegularFile(file)) {
            ctx.emit("store.openSafe", false);
            ctx.skip(Files.exists(file) ? "the store path is not a regular file" : "the store file does not exist");
            return;
        }
        if (!Files.isReadable(file)) {
            ctx.emit("store.openSafe", false);
            ctx.skip("the store file is not readable");
            return;
        }
        byte[] data = Files.readAllBytes(file);
        ctx.emit("json.binary", binary(data));
        Clean clean = clean(data);
        if (clean != null) {
            // the usual case, read as a stream of fields: nothing to salvage, no record to build
            ctx.emit("json.parse.ok", true);
            ctx.emit("json.format", clean.format());
            ctx.emit("json.parse.completeRecords", clean.complete());
            ctx.emit("json.parse.endsMidDocument", false);
            ctx.emit("store.openSafe", true);
            return;
        }
        JsonSalvage.Result r = JsonSalvage.read(data);
        ctx.emit("json.parse.ok", r.parsedOk());
        ctx.emit("json.format", r.format());
        ctx.emit("json.parse.completeRecords", (long) r.records().size());
        if (!r.parsedOk()) {
            ctx.emit("json.parse.error", r.error());
            ctx.emit("json.parse.endsMidDocument", r.endsMidDocument());
            if (r.errorOffset() >= 0) {
                ctx.emit("json.parse.offset", r.errorOffset());
            }
            if (r.errorLine() >= 0) {
                ctx.emit("json.parse.line", r.errorLine());
            }
        } else {
            ctx.emit("json.parse.endsMidDocument", false);
        }
        ctx.emit("store.openSafe", r.parsedOk());
    }

    /** A document that parses to the end: its format and how many valid records of distinct names it holds. */
    record Clean(String format, long complete) {}

    /**
     * One streaming pass that checks each record as {@link dev.minsky.model.SessionRecord#validate}
     * does, reading field values only as far as the checks need and keeping only the names (for
     * duplicates). Null when the document does not parse to its end or is not a store's shape:
     * then {@link JsonSalvage} says where and how it breaks.
     */
    static Clean clean(byte[] data) {
        try (JsonParser p = dev.minsky.model.SessionJson.mapper().getFactory().createParser(data)) {
            JsonToken t = p.nextToken();
            String format;
            long complete;
            if (t == JsonToken.START_ARRAY) {
                format = "array";
                complete = records(p);
            } else if (t == JsonToken.START_OBJECT) {
                format = null;
                complete = 0;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    t = p.nextToken();
                    if (format == null && "sessions".equals(name) && t == JsonToken.START_ARRAY) {
                        format = "legacy-object";
                        complete = records(p);
                    } else {
                        p.skipChildren();
                    }
                }
                if (format == null) {
                    return null;
                }
            } else {
                return null;
            }
            return p.nextToken() == null && complete >= 0 ? new Clean(format, complete) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static final Set<String> REQUIRED = Set.of("session", "repoName", "repoUrl", "createdAt");

    /** Valid records of distinct names up to the end of the array. */
    private static long records(JsonParser p) throws IOException {
        Set<String> names = new java.util.HashSet<>();
        long complete = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                return -1;
            }
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            java.util.Map<String, String> required = new java.util.HashMap<>(8);
            boolean valid = true;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                t = p.nextToken();
                if (REQUIRED.contains(name)) {
                    required.put(name, t == JsonToken.VALUE_STRING ? p.getText() : null);
                    p.skipChildren();
                } else if ("prApproved".equals(name)) {
                    valid &= t == JsonToken.VALUE_NULL || t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE;
                } else if (dev.minsky.model.SessionRecord.OBJECT_FIELDS.contains(name)) {
                    valid &= t == JsonToken.VALUE_NULL || t == JsonToken.START_OBJECT;
                    p.skipChildren();
                } else {
                    p.skipChildren();
                }
            }
            for (String f : REQUIRED) {
                String v = required.get(f);
                valid &= v != null && !v.isBlank();
            }
            valid = valid && dev.minsky.model.Timestamps.parse(required.get("createdAt")) != null;
            if (valid && names.add(required.get("session"))) {
                complete++;
            }
        }
        return complete;
    }

    /** Complete records in a JSON store found lying around (all of them when it parses); -1 when unreadable. */
    public static long countSessions(Path file) {
        try {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                return -1;
            }
            return JsonSalvage.read(Files.readAllBytes(file)).records().size();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** NUL bytes or text that is not UTF-8. */
    static boolean binary(byte[] data) {
        for (byte b : data) {
            if (b == 0) {
                return true;
            }
        }
        // decoded through a small buffer: the answer of decoding it whole, without a copy of the
        // whole file as characters (130 MB for a store of 200,000 sessions)
        java.nio.charset.CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(data);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(8192);
        while (true) {
            java.nio.charset.CoderResult r = d.decode(in, out, true);
            if (r.isError()) {
                return true;
            }
            if (r.isUnderflow()) {
                break;
            }
            out.clear();
        }
        out.clear();
        return d.flush(out).isError();
    }
}
