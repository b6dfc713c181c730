package dev.minsky.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.ExitCode;
import dev.minsky.admin.MigrationJournal;
import dev.minsky.admin.MigrationService;
import dev.minsky.admin.RecordComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code minsky sessiondb migrate status|to}. */
@Command(name = "migrate", description = "Show the stores of every backend, or move the sessions to another backend.",
        subcommands = {SessionDbMigrate.Status.class, SessionDbMigrate.To.class})
final class SessionDbMigrate extends SessionDbBase {
    @Override
    protected int execute() {
        spec.commandLine().usage(out());
        return ExitCode.OK;
    }

    @Command(name = "status", description = {
            "Show each backend's store, its sessions and schema, and unfinished migrations.",
            "The configured backend and its store (location masked), whether each backend's store exists and how many",
            "sessions it holds, schema versions, and a migration that did not finish."})
    static final class Status extends SessionDbBase {
        @Option(names = "--json", description = "Print the status as JSON.")
        boolean json;

        @Override
        protected int execute() {
            MigrationService.Status st = new MigrationService(admin()).status();
            if (json) {
                printJson(toJson(st));
                return ok();
            }
            out().println("Backend:  " + st.backend() + " (from " + st.backendSource() + ")");
            out().println("Store:    " + st.location());
            out().println();
            out().printf("%-10s %-8s %-9s %-8s %s%n", "BACKEND", "EXISTS", "SESSIONS", "SCHEMA", "LOCATION");
            for (MigrationService.BackendStatus b : st.stores()) {
                String schema = b.schemaVersion() == null ? "-" : b.schemaVersion() + "/" + b.currentSchemaVersion();
                out().printf("%-10s %-8s %-9s %-8s %s%s%n", b.backend() + (b.configured() ? " *" : ""),
                        b.exists() == null ? "?" : b.exists() ? "yes" : "no", b.sessions() == null ? "-" : b.sessions(), schema, b.location(),
                        b.error() != null ? "  (" + b.error() + ")" : "");
            }
            out().println();
            MigrationJournal.Entry m = st.migration();
            if (st.journalError() != null) {
                out().println("Migration journal " + st.journalFile() + " cannot be read: " + st.journalError());
            } else if (m == null) {
                out().println("No migration has been run.");
            } else if (m.incomplete()) {
                out().println("UNFINISHED migration " + m.from() + " -> " + m.to() + " started " + m.startedAt() + ", stopped after '"
                        + m.state() + "' (" + plural(m.sessions(), "session") + ").");
                out().println("  The " + m.from() + " store was never changed" + (m.backup() != null ? "; backup: " + m.backup() : "")
                        + ". Run 'minsky sessiondb migrate to " + m.to() + " --verify' again to finish it.");
            } else {
                out().println("Last migration " + m.from() + " -> " + m.to() + " (" + plural(m.sessions(), "session") + "): " + m.state()
                        + " at " + m.updatedAt() + (m.error() != null ? " — " + m.error() : ""));
            }
            return ok();
        }

        private static ObjectNode toJson(MigrationService.Status st) {
            ObjectNode n = obj();
            n.put("backend", st.backend());
            n.put("location", st.location());
            n.put("backendSource", st.backendSource());
            ArrayNode stores = n.putArray("stores");
            for (MigrationService.BackendStatus b : st.stores()) {
                ObjectNode o = stores.addObject();
                o.put("backend", b.backend());
                o.put("location", b.location());
                o.put("configured", b.configured());
                o.put("exists", b.exists());
                if (b.sessions() == null) {
                    o.putNull("sessions");
                } else {
                    o.put("sessions", b.sessions());
                }
                if (b.schemaVersion() == null) {
                    o.putNull("schemaVersion");
                } else {
                    o.put("schemaVersion", b.schemaVersion());
                }
                o.put("currentSchemaVersion", b.currentSchemaVersion());
                o.put("error", b.error());
            }
            MigrationJournal.Entry m = st.migration();
            if (m == null) {
                n.putNull("migration");
            } else {
                ObjectNode o = n.putObject("migration");
                o.put("from", m.from());
                o.put("to", m.to());
                o.put("state", m.state());
                o.put("sessions", m.sessions());
                o.put("backup", m.backup());
                o.put("startedAt", m.startedAt());
                o.put("updatedAt", m.updatedAt());
                o.put("error", m.error());
            }
            n.put("migrationIncomplete", st.migrationIncomplete());
            n.put("journal", st.journalFile());
            n.put("journalError", st.journalError());
            return n;
        }
    }

    @Command(name = "to", description = {
            "Copy every session to BACKEND, verify it, then switch to BACKEND.",
            "Every record is copied into BACKEND's store in one transaction and compared; only then is BACKEND made the",
            "configured backend.",
            "A verified backup is taken first; the current store is never changed. When anything fails, the current",
            "store stays in use (exit 3)."})
    static final class To extends SessionDbBase {
        @Parameters(paramLabel = "BACKEND", completionCandidates = BackendIds.class, description = "One of ${COMPLETION-CANDIDATES}.")
        String target;

        @Option(names = "--verify", description = "Print the record-by-record comparison (the check always runs).")
        boolean verify;

        @Option(names = "--dry-run", description = "Only report what would be copied; change nothing.")
        boolean dryRun;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        protected int execute() {
            MigrationService.Result r = new MigrationService(admin()).migrate(target, dryRun);
            progressDone();
            if (json) {
                printJson(toJson(r));
            } else if (r.dryRun()) {
                out().println("Dry run: would copy " + plural(r.sessions(), "session") + " from " + r.from() + " (" + r.fromLocation()
                        + ") to " + r.to() + " (" + r.toLocation() + ").");
                out().println("  The target holds " + plural(r.targetBefore(), "session") + ": " + r.overwrite() + " would be replaced, "
                        + r.unchanged() + " are already identical, " + r.targetOnly() + " only in the target would be kept.");
                out().println("Nothing was changed.");
            } else if (r.resumedFrom() != null) {
                out().println("The migration from " + r.from() + " (" + r.fromLocation() + ") to " + r.to() + " (" + r.toLocation()
                        + ") had already switched the backend (its journal stopped after '" + r.resumedFrom() + "'); it is finished now.");
                out().println((r.comparison() == null ? "The " + r.from() + " store cannot be read any more to compare"
                        : "Compared with the " + r.from() + " store: " + r.comparison().summary()) + "; the " + r.to() + " store verifies.");
                out().println("sessiondb.backend is " + r.to() + " in the user config; the " + r.from() + " store was left as it was.");
            } else {
                out().println("Migrated " + plural(r.sessions(), "session") + " from " + r.from() + " (" + r.fromLocation() + ") to "
                        + r.to() + " (" + r.toLocation() + ").");
                out().println("Backup of the " + r.from() + " store: " + backupLine(r.sourceBackup()));
                if (r.targetBackup() != null) {
                    out().println("Backup of what the " + r.to() + " store held: " + backupLine(r.targetBackup()));
                }
                RecordComparison c = r.comparison();
                if (verify) {
                    out().println("Verify: " + c.expected() + " in " + r.from() + ", " + c.actual() + " in " + r.to() + "; " + c.summary() + ".");
                } else {
                    out().println("Verified: " + c.summary() + ".");
                }
                out().println("sessiondb.backend is now " + r.to() + " in the user config; the " + r.from() + " store was left as it was.");
            }
            if (r.switched()) {
                overrideNote(r.overriddenBy(), r.to());
            }
            return ok();
        }

        private static ObjectNode toJson(MigrationService.Result r) {
            ObjectNode n = obj();
            n.put("from", r.from());
            n.put("fromLocation", r.fromLocation());
            n.put("to", r.to());
            n.put("toLocation", r.toLocation());
            n.put("sessions", r.sessions());
            n.put("targetBefore", r.targetBefore());
            n.put("overwrite", r.overwrite());
            n.put("unchanged", r.unchanged());
            n.put("targetOnly", r.targetOnly());
            n.put("dryRun", r.dryRun());
            n.set("sourceBackup", backupJson(r.sourceBackup()));
            n.set("targetBackup", backupJson(r.targetBackup()));
            if (r.comparison() != null) {
                ObjectNode c = n.putObject("verify");
                c.put("expected", r.comparison().expected());
                c.put("actual", r.comparison().actual());
                c.putPOJO("missing", r.comparison().missing());
                c.putPOJO("different", r.comparison().different());
                c.putPOJO("targetOnly", r.comparison().extra());
            }
            n.put("switched", r.switched());
            n.put("overriddenBy", r.overriddenBy());
            n.put("resumedFrom", r.resumedFrom());
            return n;
        }
    }
}
