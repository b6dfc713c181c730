package dev.minsky.backend.json.fix;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.BuiltinAction;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.Paths2;
import dev.minsky.model.JsonSalvage;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.util.AtomicFiles;
import dev.minsky.util.FileLocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code json.restore-corrupt-copy}: the JSON store file is gone, and a damaged copy that a salvage
 * kept beside it ({@code session-db.json.corrupt-<UTC time>}) still holds whole records. Every whole
 * record of the copy (the same resynchronising salvage as {@code json.salvage}) is written to the
 * store path atomically; the copy itself is left as it is. Undo removes the store file again.
 */
public final class RestoreCorruptCopyAction extends BuiltinAction {
    public RestoreCorruptCopyAction() {
        super("json.restore-corrupt-copy");
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        Path file = ctx.settings().jsonPath();
        String copy = ctx.text("store.corruptCopies.bestPath");
        if (copy == null || !Files.isRegularFile(Path.of(copy))) {
            return ActionPlan.notApplicable("no damaged copy with whole records was found beside " + file);
        }
        if (Files.exists(file)) {
            return ActionPlan.notApplicable(file + " exists: a damaged copy is restored only in place of a missing store");
        }
        byte[] data;
        try {
            data = Files.readAllBytes(Path.of(copy));
        } catch (IOException e) {
            return ActionPlan.notApplicable("cannot read " + copy + ": " + e.getMessage());
        }
        List<SessionRecord> records = JsonSalvage.read(data).records();
        if (records.isEmpty()) {
            return ActionPlan.notApplicable(copy + " holds no whole record");
        }
        ActionPlan.Builder b = ActionPlan.builder()
                .change("write the " + records.size() + " whole record(s) of the damaged copy " + copy + " to " + file
                        + " (atomically; " + copy + " is left as it is)")
                .changesRecords()
                .param("file", file)
                .param("copy", copy)
                .param("sha256", JsonSalvageAction.sha256(data))
                .param("keep", records.size());
        Paths2.missingDirs(file.getParent()).forEach(b::file);
        b.file(file);
        return b.build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        Path file = Path.of(plan.param("file"));
        Path copy = Path.of(plan.param("copy"));
        try (FileLocks.Held lock = FileLocks.acquire(file.resolveSibling(file.getFileName() + ".lock"), Duration.ofSeconds(10))) {
            if (Files.exists(file)) {
                throw new MinskyException(ExitCode.INCOMPLETE, file + " appeared after the plan was made; nothing was changed",
                        "run 'minsky doctor --fix' again");
            }
            byte[] data = Files.readAllBytes(copy);
            if (!JsonSalvageAction.sha256(data).equals(plan.param("sha256"))) {
                throw new MinskyException(ExitCode.INCOMPLETE, copy + " changed after the plan was made; nothing was changed",
                        "run 'minsky doctor --fix' again");
            }
            List<SessionRecord> records = JsonSalvage.read(data).records();
            AtomicFiles.write(file, SessionJson.write(records), "rw-------");
            List<SessionRecord> back = SessionJson.parse(Files.readAllBytes(file));
            if (!back.equals(records)) {
                throw new MinskyException(ExitCode.INCOMPLETE, "the restored " + file + " does not read back the same", null);
            }
            return new Applied("restored " + records.size() + " whole record(s) from the damaged copy " + copy + " into " + file
                    + "; the copy is left as it was", records.size());
        } catch (IOException | SessionJson.FormatException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot restore " + file + " from " + copy + ": " + e.getMessage(),
                    "check free space and permissions of " + file.getParent(), e);
        }
    }
}
