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
 * The JSON store file is gone, and a file beside it (named by a fact) still holds its records:
 * they are written to the store path atomically, the file itself is left as it is, and the plan
 * pins the file's SHA-256 so that a file changed since the plan is not used. Undo removes the
 * store file again. A subclass says which file, how its records are read and the words
 * that name it.
 */
abstract class RestoreMissingStoreAction extends BuiltinAction {
    /**
     * The words that name the file in the sentences of the plan and the step; the rest of each
     * sentence is the same for both.
     *
     * @param notFound why not, when there is no such file beside the store (the store path follows)
     * @param kind for "... exists: {kind} is restored only in place of a missing store"
     * @param name for "write the N ... of the {name} X" and "restored N ... from the {name} X"
     * @param planned what the plan counts ("write the N {planned} of ...")
     * @param restored what the step counts ("restored N {restored} from ...")
     * @param leftAsItWas for "; the {leftAsItWas} is left as it was"
     */
    record Words(String notFound, String kind, String name, String planned, String restored, String leftAsItWas) {}

    private final String fact;
    private final String param;
    private final Words words;

    /**
     * @param fact the fact holding the file's path
     * @param param the plan's parameter holding it (in the journal: never renamed)
     */
    RestoreMissingStoreAction(String id, String fact, String param, Words words) {
        super(id);
        this.fact = fact;
        this.param = param;
        this.words = words;
    }

    /** The records the file holds, as {@link #apply} reads them again. */
    abstract List<SessionRecord> records(byte[] data) throws SessionJson.FormatException;

    /** Reads the file for the plan: its bytes and records, or why it is not restored. */
    abstract Read read(String source);

    /** The file as the plan read it: {@code data} and {@code records}, or {@code whyNot}. */
    record Read(byte[] data, List<SessionRecord> records, String whyNot) {
        static Read of(byte[] data, List<SessionRecord> records) {
            return new Read(data, records, null);
        }

        static Read not(String whyNot) {
            return new Read(null, null, whyNot);
        }
    }

    @Override
    public final ActionPlan plan(FixContext ctx) {
        Path file = ctx.settings().jsonPath();
        String source = ctx.text(fact);
        if (source == null || !Files.isRegularFile(Path.of(source))) {
            return ActionPlan.notApplicable(words.notFound() + file);
        }
        if (Files.exists(file)) {
            return ActionPlan.notApplicable(file + " exists: " + words.kind() + " is restored only in place of a missing store");
        }
        Read read = read(source);
        if (read.whyNot() != null) {
            return ActionPlan.notApplicable(read.whyNot());
        }
        List<SessionRecord> records = read.records();
        ActionPlan.Builder b = ActionPlan.builder()
                .change("write the " + records.size() + " " + words.planned() + " of the " + words.name() + " " + source + " to " + file
                        + " (atomically; " + source + " is left as it is)")
                .changesRecords()
                .param("file", file)
                .param(param, source)
                .param("sha256", JsonSalvageAction.sha256(read.data()))
                .param("keep", records.size());
        Paths2.missingDirs(file.getParent()).forEach(b::file);
        b.file(file);
        return b.build();
    }

    @Override
    public final Applied apply(FixContext ctx, ActionPlan plan) {
        Path file = Path.of(plan.param("file"));
        Path source = Path.of(plan.param(param));
        try (FileLocks.Held lock = FileLocks.acquire(file.resolveSibling(file.getFileName() + ".lock"), Duration.ofSeconds(10))) {
            if (Files.exists(file)) {
                throw new MinskyException(ExitCode.INCOMPLETE, file + " appeared after the plan was made; nothing was changed",
                        "run 'minsky doctor --fix' again");
            }
            byte[] data = Files.readAllBytes(source);
            if (!JsonSalvageAction.sha256(data).equals(plan.param("sha256"))) {
                throw new MinskyException(ExitCode.INCOMPLETE, source + " changed after the plan was made; nothing was changed",
                        "run 'minsky doctor --fix' again");
            }
            List<SessionRecord> records = records(data);
            AtomicFiles.write(file, SessionJson.write(records), "rw-------");
            List<SessionRecord> back = SessionJson.parse(Files.readAllBytes(file));
            if (!back.equals(records)) {
                throw new MinskyException(ExitCode.INCOMPLETE, "the restored " + file + " does not read back the same", null);
            }
            return new Applied("restored " + records.size() + " " + words.restored() + " from the " + words.name() + " " + source
                    + " into " + file + "; the " + words.leftAsItWas() + " is left as it was", records.size());
        } catch (IOException | SessionJson.FormatException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot restore " + file + " from " + source + ": " + e.getMessage(),
                    "check free space and permissions of " + file.getParent(), e);
        }
    }
}
