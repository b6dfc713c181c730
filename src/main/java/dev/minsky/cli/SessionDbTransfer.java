package dev.minsky.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.MinskyException;
import dev.minsky.admin.Transfers;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code minsky sessiondb export|import|restore}: the one JSON format in and out. */
final class SessionDbTransfer {
    private SessionDbTransfer() {}

    @Command(name = "export", description = {
            "Write every session as JSON to standard output or a file.",
            "The format is a JSON array of records, exactly the JSON backend's file; --output FILE writes it atomically."})
    static final class Export extends SessionDbBase {
        @Option(names = "--all", description = "Every session (the default; accepted for the guide's command line).")
        boolean all;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json", description = "Only json.")
        String format;

        @Option(names = {"--output", "-o"}, paramLabel = "FILE", description = "Write to FILE (atomically) instead of standard output.")
        Path output;

        @Override
        protected int execute() {
            if (!"json".equalsIgnoreCase(format)) {
                throw MinskyException.badInput("unknown export format '" + format + "'", "the one format is json: --format json");
            }
            Transfers t = new Transfers(admin());
            if (output != null) {
                int n = t.exportTo(output);
                progressDone();
                err().println("Exported " + plural(n, "session") + " to " + output.toAbsolutePath() + ".");
                return ok();
            }
            t.export(out());
            progressDone();
            out().println();
            out().flush();
            return ok();
        }

        @Override
        protected boolean progressWanted() {
            // the records themselves go to a terminal: a bar between them would only garble them
            return output != null || !dev.minsky.progress.Terminal.stdout(ctx());
        }
    }

    @Command(name = "import", description = {
            "Add the sessions of an export file to the configured store.",
            "With --replace the store holds exactly them afterwards. The whole file is checked first: a file that is",
            "not an array of valid records changes nothing (exit 2). A verified backup of the store is taken before",
            "anything is written."})
    static final class Import extends SessionDbBase {
        @Option(names = "--file", required = true, paramLabel = "FILE", description = "An export: a JSON array of records (or {\"sessions\": [...]}).")
        Path file;

        @Option(names = "--replace", description = "Remove sessions that are not in the file.")
        boolean replace;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        protected int execute() {
            Transfers.ImportResult r = new Transfers(admin()).importFile(file, replace);
            progressDone();
            if (json) {
                ObjectNode n = obj();
                n.put("backend", r.backend());
                n.put("location", r.location());
                n.put("inFile", r.inFile());
                n.put("added", r.added());
                n.put("updated", r.updated());
                n.put("unchanged", r.unchanged());
                n.put("removed", r.removed());
                n.put("sessions", r.sessionsAfter());
                n.set("backup", backupJson(r.backup()));
                printJson(n);
                return ok();
            }
            out().println("Imported " + plural(r.inFile(), "session") + " into the " + r.backend() + " store " + r.location() + ": "
                    + r.added() + " added, " + r.updated() + " updated, " + r.unchanged() + " unchanged"
                    + (replace ? ", " + r.removed() + " removed" : "") + "; it now holds " + plural(r.sessionsAfter(), "session") + ".");
            out().println("Backup taken first: " + backupLine(r.backup()));
            return ok();
        }
    }

    @Command(name = "restore", description = {
            "Make a backend's store hold exactly the sessions of a backup.",
            "The backup is an export file; 'latest' (or a missing backups/latest.json) means the newest valid backup.",
            "The store is backed up first when it holds sessions, and read back and compared afterwards."})
    static final class Restore extends SessionDbBase {
        @Option(names = "--backup", required = true, paramLabel = "FILE", description = "The backup to restore.")
        String backup;

        @Option(names = "--to", paramLabel = "BACKEND", completionCandidates = BackendIds.class,
                description = "One of ${COMPLETION-CANDIDATES} (default: the configured backend).")
        String to;

        @Override
        protected int execute() {
            Transfers t = new Transfers(admin());
            Path file = t.resolveBackup(backup);
            Transfers.RestoreResult r = t.restore(file, to);
            progressDone();
            out().println("Restored " + plural(r.sessions(), "session") + " from " + r.file() + " into the " + r.backend() + " store "
                    + r.location() + " (it held " + r.sessionsBefore() + "); read back and verified.");
            out().println("Backup of what it held: " + backupLine(r.backup()));
            if (r.damagedOriginal() != null) {
                out().println("It could not be read; the damaged original is kept at " + r.damagedOriginal());
            }
            if (!r.configured()) {
                out().println("Note: the configured backend is not " + r.backend() + "; to use this store: minsky config set sessiondb.backend "
                        + r.backend());
            }
            return ok();
        }
    }
}
