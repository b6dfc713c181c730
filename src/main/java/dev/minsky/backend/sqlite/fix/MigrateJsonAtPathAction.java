package dev.minsky.backend.sqlite.fix;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.Paths2;
import dev.minsky.doctor.fix.StoreFileAction;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import dev.minsky.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code sqlite.migrate-json-at-path}: a JSON session store sits where the SQLite database
 * belongs. It is renamed aside (kept), and a new SQLite database is created there holding its
 * sessions.
 */
public final class MigrateJsonAtPathAction extends StoreFileAction {
    public MigrateJsonAtPathAction() {
        super("sqlite.migrate-json-at-path", true, "there is no file at the SQLite path");
    }

    @Override
    protected ActionPlan plan(FixContext ctx, List<Path> files) {
        Path db = files.get(0);
        List<SessionRecord> records;
        try {
            records = SessionJson.parse(Files.readAllBytes(db));
        } catch (IOException | SessionJson.FormatException e) {
            return ActionPlan.notApplicable(db + " is not a valid JSON session store: " + e.getMessage());
        }
        Path kept = Paths2.aside(db, "json", ctx.clock().instant());
        return ActionPlan.builder()
                .change("rename " + db + " to " + kept + " (kept)")
                .change("create a new SQLite database at " + db + " and import the " + dev.minsky.util.Plural.count(records.size(), "session") + " of the JSON file into it")
                .files(files)
                .file(kept)
                .param("db", db)
                .param("kept", kept)
                .param("sessions", records.size())
                .build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        Path db = Path.of(plan.param("db"));
        Path kept = Path.of(plan.param("kept"));
        List<SessionRecord> records;
        try {
            records = SessionJson.parse(Files.readAllBytes(db));
            Files.move(db, kept, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDirectory(db.getParent());
        } catch (IOException | SessionJson.FormatException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot move the JSON store at " + db + " aside: " + e.getMessage(),
                    "check the directory's permissions");
        }
        try (SessionStore store = Stores.open(ctx.settings(), true)) {
            store.upsertAll(records);
            return new Applied("imported the " + dev.minsky.util.Plural.count(records.size(), "session") + " of the JSON store into a new SQLite database " + db
                    + "; the JSON file is kept as " + kept, records.size());
        }
    }
}
