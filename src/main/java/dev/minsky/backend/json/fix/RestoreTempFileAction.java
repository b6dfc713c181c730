package dev.minsky.backend.json.fix;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.BuiltinAction;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.Paths2;
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
 * {@code json.restore-temp-file}: the JSON store file is gone, and the temp file of an
 * interrupted atomic write ({@code .minsky-tmp-session-db.json-*}) beside it is a whole document.
 * Its sessions are written to the store path (atomically; the temp file itself is left as it is),
 * which is what the interrupted rename would have done. Undo removes the store file again.
 */
public final class RestoreTempFileAction extends BuiltinAction {
    public RestoreTempFileAction() {
        super("json.restore-temp-file");
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        Path file = ctx.settings().jsonPath();
        String tmp = ctx.text("store.tempFiles.newest.path");
        if (tmp == null || !Files.isRegularFile(Path.of(tmp))) {
            return ActionPlan.notApplicable("no complete temp file was found beside " + file);
        }
        if (Files.exists(file)) {
            return ActionPlan.notApplicable(file + " exists: a temp file is restored only in place of a missing store");
        }
        byte[] data;
        List<SessionRecord> records;
        try {
            data = Files.readAllBytes(Path.of(tmp));
            records = SessionJson.parse(data);
        } catch (IOException | SessionJson.FormatException e) {
            return ActionPlan.notApplicable(tmp + " is not a whole session document: " + e.getMessage());
        }
        if (records.isEmpty()) {
            return ActionPlan.notApplicable(tmp + " holds no session");
        }
        ActionPlan.Builder b = ActionPlan.builder()
                .change("write the " + records.size() + " sessions of the complete temp file " + tmp + " to " + file
                        + " (atomically; " + tmp + " is left as it is)")
                .changesRecords()
                .param("file", file)
                .param("temp", tmp)
                .param("sha256", JsonSalvageAction.sha256(data))
                .param("keep", records.size());
        Paths2.missingDirs(file.getParent()).forEach(b::file);
        b.file(file);
        return b.build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        Path file = Path.of(plan.param("file"));
        Path tmp = Path.of(plan.param("temp"));
        try (FileLocks.Held lock = FileLocks.acquire(file.resolveSibling(file.getFileName() + ".lock"), Duration.ofSeconds(10))) {
            if (Files.exists(file)) {
                throw new MinskyException(ExitCode.INCOMPLETE, file + " appeared after the plan was made; nothing was changed",
                        "run 'minsky doctor --fix' again");
            }
            byte[] data = Files.readAllBytes(tmp);
            if (!JsonSalvageAction.sha256(data).equals(plan.param("sha256"))) {
                throw new MinskyException(ExitCode.INCOMPLETE, tmp + " changed after the plan was made; nothing was changed",
                        "run 'minsky doctor --fix' again");
            }
            List<SessionRecord> records = SessionJson.parse(data);
            AtomicFiles.write(file, SessionJson.write(records), "rw-------");
            List<SessionRecord> back = SessionJson.parse(Files.readAllBytes(file));
            if (!back.equals(records)) {
                throw new MinskyException(ExitCode.INCOMPLETE, "the restored " + file + " does not read back the same", null);
            }
            return new Applied("restored " + records.size() + " session(s) from the complete temp file " + tmp + " into " + file
                    + "; the temp file is left as it was", records.size());
        } catch (IOException | SessionJson.FormatException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot restore " + file + " from " + tmp + ": " + e.getMessage(),
                    "check free space and permissions of " + file.getParent(), e);
        }
    }
}
