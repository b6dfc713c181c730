package dev.minsky.admin;

import dev.minsky.store.MigrationJournalFile;
import dev.minsky.util.AtomicFiles;
import dev.minsky.model.SessionJson;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The migration journal, {@code <state>/migration-journal.json}, as {@code sessiondb migrate to}
 * writes it: one JSON object describing the latest migration, rewritten atomically at each step.
 * A migration stopped half-way (killed, power loss) leaves a state that is not final, which
 * {@code migrate status} and the doctor ({@code stores.migrationIncomplete}) report. The document
 * and its reading are {@link MigrationJournalFile} (which the doctor reads without depending on
 * this package). See docs/doctor-contract.md.
 */
public final class MigrationJournal extends MigrationJournalFile {

    public MigrationJournal(Path stateDir) {
        super(stateDir);
    }

    Entry start(String from, String to, String fromLocation, String toLocation, long sessions, String backup, Instant now) {
        Entry e = new Entry(now.toString(), from, to, fromLocation, toLocation, sessions, backup, STARTED, now.toString(),
                now.toString(), null);
        write(e);
        return e;
    }

    Entry step(Entry e, String state, String error, Instant now) {
        Entry next = new Entry(e.id(), e.from(), e.to(), e.fromLocation(), e.toLocation(), e.sessions(), e.backup(), state,
                e.startedAt(), now.toString(), error);
        write(next);
        return next;
    }

    private void write(Entry e) {
        try {
            AtomicFiles.write(file(), SessionJson.mapper().writeValueAsBytes(e.toJson()), "rw-------");
        } catch (IOException ex) {
            throw dev.minsky.MinskyException.incomplete("cannot write the migration journal " + file() + ": " + ex.getMessage(),
                    "nothing was switched; free space or fix permissions of " + file().getParent() + " and retry", ex);
        }
    }
}
