package dev.minsky.backend.json.fix;

import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code json.restore-temp-file}: the JSON store file is gone, and the temp file of an
 * interrupted atomic write ({@code .minsky-tmp-session-db.json-*}) beside it is a whole document.
 * Its sessions are written to the store path (atomically; the temp file itself is left as it is),
 * which is what the interrupted rename would have done. Undo removes the store file again.
 */
public final class RestoreTempFileAction extends RestoreMissingStoreAction {
    public RestoreTempFileAction() {
        super("json.restore-temp-file", "store.tempFiles.newest.path", "temp", new Words(
                "no complete temp file was found beside ", "a temp file",
                "complete temp file", "sessions", "session(s)", "temp file"));
    }

    @Override
    List<SessionRecord> records(byte[] data) throws SessionJson.FormatException {
        return SessionJson.parse(data);
    }

    /** Only a whole document is what the interrupted rename would have put in place. */
    @Override
    Read read(String tmp) {
        try {
            byte[] data = Files.readAllBytes(Path.of(tmp));
            List<SessionRecord> records = records(data);
            return records.isEmpty() ? Read.not(tmp + " holds no session") : Read.of(data, records);
        } catch (IOException | SessionJson.FormatException e) {
            return Read.not(tmp + " is not a whole session document: " + e.getMessage());
        }
    }
}
