package dev.minsky.backend.json.fix;

import dev.minsky.model.JsonSalvage;
import dev.minsky.model.SessionRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code json.restore-corrupt-copy}: the JSON store file is gone, and a damaged copy that a salvage
 * kept beside it ({@code session-db.json.corrupt-<UTC time>}) still holds whole records. Every whole
 * record of the copy (the same resynchronising salvage as {@code json.salvage}) is written to the
 * store path atomically; the copy itself is left as it is. Undo removes the store file again.
 */
public final class RestoreCorruptCopyAction extends RestoreMissingStoreAction {
    public RestoreCorruptCopyAction() {
        super("json.restore-corrupt-copy", "store.corruptCopies.bestPath", "copy", new Words(
                "no damaged copy with whole records was found beside ", "a damaged copy",
                "damaged copy", "whole record(s)", "whole record(s)", "copy"));
    }

    @Override
    List<SessionRecord> records(byte[] data) {
        return JsonSalvage.read(data).records();
    }

    /** Whatever the damage, the salvage reads the whole records; only a file that cannot be read is no use. */
    @Override
    Read read(String copy) {
        byte[] data;
        try {
            data = Files.readAllBytes(Path.of(copy));
        } catch (IOException e) {
            return Read.not("cannot read " + copy + ": " + e.getMessage());
        }
        List<SessionRecord> records = records(data);
        return records.isEmpty() ? Read.not(copy + " holds no whole record") : Read.of(data, records);
    }
}
