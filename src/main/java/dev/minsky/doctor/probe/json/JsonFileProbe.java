package dev.minsky.doctor.probe.json;

import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import dev.minsky.model.JsonSalvage;
import dev.minsky.util.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
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
    public Cost cost() {
        return Cost.CHEAP;
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
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data));
            return false;
        } catch (CharacterCodingException e) {
            return true;
        }
    }
}
