package dev.minsky.backend.json.fix;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.backend.json.JsonSteps;
import dev.minsky.backup.Backups;
import dev.minsky.config.Settings;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * {@code json.salvage}: a JSON store that does not parse (a truncated write, garbage) is replaced
 * by every complete record that can still be read, or by the newest valid backup or the complete
 * temp file of an interrupted write when that holds more sessions. The damaged original is always kept beside it as
 * {@code session-db.json.corrupt-<UTC time>}; the journal keeps another copy for undo.
 */
public final class JsonSalvageAction extends BuiltinAction {
    public JsonSalvageAction() {
        super("json.salvage");
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        Settings s = ctx.settings();
        Path file = s.jsonPath();
        if (!Files.isRegularFile(file)) {
            return ActionPlan.notApplicable("there is no JSON store at " + file);
        }
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            return ActionPlan.notApplicable("cannot read " + file + ": " + e.getMessage() + " (fix its permissions first)");
        }
        // a damaged store of 100,000 records takes seconds to scan: counted like 'sessiondb verify' counts it
        JsonSalvage.Result salvage = JsonSteps.salvage(data, JsonSteps.FINDING, ctx.progress());
        if (salvage.parsedOk()) {
            try {
                SessionJson.parse(data);
                return ActionPlan.notApplicable(file + " parses: there is nothing to salvage");
            } catch (SessionJson.FormatException e) {
                // parses as JSON but a record is invalid: salvage keeps the valid ones
            }
        }
        Optional<Backups.Backup> backup = Backups.newest(s);
        int fromSalvage = salvage.records().size();
        int fromBackup = backup.map(Backups.Backup::sessions).orElse(-1);
        if (fromSalvage == 0 && fromBackup <= 0) {
            return ActionPlan.notApplicable("no complete record can be read from " + file + " and there is no backup with sessions");
        }
        // the complete temp file of an interrupted write is the newest whole copy: it wins when it holds the most
        String temp = ctx.text("store.tempFiles.newest.path");
        int fromTemp = temp != null && Files.isRegularFile(Path.of(temp)) ? (int) ctx.number("store.tempFiles.newest.sessions", -1) : -1;
        boolean useTemp = fromTemp > fromSalvage && fromTemp >= fromBackup;
        boolean useBackup = !useTemp && fromBackup > fromSalvage;
        Path corrupt = Paths2.aside(file, "corrupt", ctx.clock().instant());
        int keep = useTemp ? fromTemp : useBackup ? fromBackup : fromSalvage;
        ActionPlan.Builder b = ActionPlan.builder()
                .change("keep the damaged file as " + corrupt)
                .change("salvage: " + fromSalvage + " complete record(s) from before and after " + describe(salvage)
                        + "; newest backup: " + backup.map(x -> x.file() + " (" + dev.minsky.util.Plural.count(x.sessions(), "session") + ")")
                                .orElse("none, no backup to fall back on"))
                .change("write " + file + " atomically with the " + dev.minsky.util.Plural.count(keep, "session") + " of "
                        + (useTemp ? "the complete temp file " + temp + " (left as it is)"
                        : useBackup ? "the backup " + backup.get().file() : "the salvage"))
                .file(file)
                .file(corrupt)
                .changesRecords()
                .param("file", file)
                .param("corrupt", corrupt)
                .param("sha256", sha256(data))
                .param("keep", keep);
        if (useTemp) {
            b.param("temp", temp);
        } else if (useBackup) {
            b.param("backup", backup.get().file());
        }
        return b.build();
    }

    private static String describe(JsonSalvage.Result r) {
        if (r.endsMidDocument()) {
            return "the text stops mid-document (a truncated write) at byte " + r.errorOffset();
        }
        return r.error() == null ? "the invalid records" : "the error '" + r.error() + "'" + (r.errorLine() > 0 ? " on line " + r.errorLine() : "");
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        Path file = Path.of(plan.param("file"));
        Path corrupt = Path.of(plan.param("corrupt"));
        // The same lock the JSON store's writers take, so that no write slips in between.
        try (FileLocks.Held lock = FileLocks.acquire(file.resolveSibling(file.getFileName() + ".lock"), Duration.ofSeconds(10))) {
            byte[] data = Files.readAllBytes(file);
            if (!sha256(data).equals(plan.param("sha256"))) {
                throw new MinskyException(ExitCode.INCOMPLETE, file + " changed after the plan was made; nothing was changed",
                        "run 'minsky doctor --fix' again");
            }
            String from = plan.param("temp") != null ? "the complete temp file " + plan.param("temp")
                    : plan.param("backup") != null ? "the backup " + plan.param("backup") : "the salvage";
            // the same counted steps as 'sessiondb repair', so a big salvage shows its records, rate and total
            dev.minsky.store.Progress progress = ctx.progress();
            List<SessionRecord> records;
            if (plan.param("temp") != null) {
                records = JsonSteps.check(Files.readAllBytes(Path.of(plan.param("temp"))), progress);
            } else if (plan.param("backup") != null) {
                Path backup = Path.of(plan.param("backup"));
                progress.phase("reading the backup " + backup.getFileName() + " (bytes)");
                records = SessionJson.parseFile(backup, progress::total, progress::advance);
            } else {
                records = JsonSteps.salvage(data, JsonSteps.SALVAGING, progress).records();
            }
            if (plan.param("temp") != null && records.size() != Integer.parseInt(plan.param("keep"))) {
                throw new MinskyException(ExitCode.INCOMPLETE, plan.param("temp") + " changed after the plan was made; nothing was changed",
                        "run 'minsky doctor --fix' again");
            }
            Files.copy(file, corrupt, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            AtomicFiles.fsyncDirectory(corrupt.getParent());
            AtomicFiles.write(file, JsonSteps.write(records, JsonSteps.WRITING, progress), "rw-------");
            // Read back: the new file must parse and hold exactly what was meant to be kept.
            List<SessionRecord> back = JsonSteps.readBack(Files.readAllBytes(file), records.size(), progress);
            if (back.size() != records.size()) {
                throw new MinskyException(ExitCode.INCOMPLETE, "the rewritten " + file + " does not read back the same", null);
            }
            return new Applied("wrote " + records.size() + " session(s) from " + from + " into " + file
                    + "; the damaged original is kept as " + corrupt, records.size());
        } catch (IOException | SessionJson.FormatException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot salvage " + file + ": " + e.getMessage(),
                    "check free space and permissions of " + file.getParent(), e);
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
