package dev.minsky.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.ExitCode;
import dev.minsky.admin.Integrity;
import dev.minsky.store.RepairReport;
import dev.minsky.store.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code minsky sessiondb verify|repair|recover}. */
final class SessionDbIntegrity {
    private SessionDbIntegrity() {}

    static ObjectNode verifyJson(VerifyReport v) {
        ObjectNode n = SessionDbBase.obj();
        n.put("ok", v.ok());
        n.put("sessions", v.sessions());
        n.putPOJO("problems", v.problems());
        return n;
    }

    static ObjectNode repairJson(RepairReport r) {
        ObjectNode n = SessionDbBase.obj();
        n.put("changed", r.changed());
        n.put("sessionsBefore", r.sessionsBefore());
        n.put("sessionsAfter", r.sessionsAfter());
        n.put("original", r.original() == null ? null : r.original().toString());
        n.put("method", r.method());
        return n;
    }

    /** verify and repair print the same thing. */
    abstract static class CheckCommand extends SessionDbBase {
        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        protected int print(Integrity.CheckResult r, String repairHint) {
            progressDone();
            if (json) {
                ObjectNode n = obj();
                n.put("backend", r.backend());
                n.put("location", r.location());
                n.put("ok", r.ok());
                n.set("verify", verifyJson(r.before()));
                if (r.repair() != null) {
                    n.set("repair", repairJson(r.repair()));
                    n.set("after", verifyJson(r.after()));
                    n.set("backup", backupJson(r.backup()));
                    n.put("backupNote", r.backupNote());
                }
                printJson(n);
                return r.ok() ? ExitCode.OK : ExitCode.FINDINGS;
            }
            out().println("Store: " + r.backend() + " " + r.location());
            printReport(r.before());
            if (r.repair() != null) {
                out().println("Backup before the repair: " + (r.backup() != null ? backupLine(r.backup()) : r.backupNote()));
                RepairReport rr = r.repair();
                String before = rr.sessionsBefore() >= 0
                        ? dev.minsky.util.Plural.count(rr.sessionsBefore(), "session") + " readable before, "
                        : "the damaged file could not be read as a whole before, ";
                out().println("Repaired by " + rr.method() + ": " + before + dev.minsky.util.Plural.count(rr.sessionsAfter(), "session")
                        + " after" + (rr.original() != null ? "; the damaged original is kept at " + rr.original() : "") + ".");
                out().print("After the repair: ");
                printReport(r.after());
            } else if (!r.ok()) {
                out().println(repairHint);
            }
            return r.ok() ? ExitCode.OK : ExitCode.FINDINGS;
        }

        private void printReport(VerifyReport v) {
            if (v.ok()) {
                out().println("OK: " + plural(v.sessions(), "session") + ", no problems found.");
            } else {
                out().println(plural(v.problems().size(), "problem") + " found (" + (v.sessions() < 0 ? "no" : v.sessions())
                        + " sessions readable):");
                v.problems().forEach(p -> out().println("  - " + p));
            }
        }
    }

    @Command(name = "verify", description = {
            "Check the store's integrity and records (exit 1 when problems are found or the store cannot be read).",
            "Changes nothing.",
            "With --repair, a damaged store is repaired after a backup and checked again."})
    static final class Verify extends CheckCommand {
        @Option(names = "--repair", description = "Repair a damaged store (after a backup of whatever can be read).")
        boolean repair;

        @Override
        protected int execute() {
            return print(new Integrity(admin()).verify(repair),
                    "Run 'minsky sessiondb verify --repair' to rebuild it from what can be read (a backup is taken first).");
        }
    }

    @Command(name = "repair", description = {
            "Rebuild a damaged store from what can still be read.",
            "The new store is checked and swapped in; the damaged original is kept beside it. The backend is the one",
            "given with --backend, else the configured one. Without --auto-recover it only checks and says what it would do."})
    static final class Repair extends CheckCommand {
        @Option(names = "--auto-recover", description = "Do the repair (after a backup of whatever can be read).")
        boolean autoRecover;

        @Override
        protected int execute() {
            return print(new Integrity(admin()).repair(autoRecover),
                    "Nothing was changed. Run again with --auto-recover to rebuild the store from what can be read.");
        }
    }

    @Command(name = "recover", description = {
            "Emergency recovery: back up, verify, repair, restore from a backup if needed.",
            "Backs up whatever can be read and verifies; with --auto, repairs a damaged store, and when the repair fails",
            "or loses sessions, restores the newest valid backup that holds more (keeping sessions only the repaired",
            "store has). Prints what it did and the counts before and after."})
    static final class Recover extends SessionDbBase {
        @Option(names = "--auto", description = "Repair and restore as needed (without it: check and back up only).")
        boolean auto;

        @Option(names = "--backup-first", defaultValue = "true", fallbackValue = "true", arity = "0..1",
                description = "Back up whatever can be read first (always on; accepted for the guide's command line).")
        boolean backupFirst;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        protected int execute() {
            Integrity.RecoverResult r = new Integrity(admin()).recover(auto);
            progressDone();
            if (json) {
                ObjectNode n = obj();
                n.put("backend", r.backend());
                n.put("location", r.location());
                n.put("ok", r.ok());
                n.put("changed", r.changed());
                n.put("sessionsBefore", r.sessionsBefore());
                n.put("sessionsAfter", r.sessionsAfter());
                n.putPOJO("actions", r.actions());
                n.set("backup", backupJson(r.backup()));
                n.set("restoredFrom", backupJson(r.restoredFrom()));
                printJson(n);
            } else {
                out().println("Recover " + r.backend() + " store " + r.location() + ":");
                r.actions().forEach(a -> out().println("  - " + a));
                out().println("Sessions before: " + (r.sessionsBefore() < 0 ? "unreadable" : r.sessionsBefore())
                        + ", after: " + (r.sessionsAfter() < 0 ? "unreadable" : r.sessionsAfter()) + ".");
                out().println(r.ok() ? (r.changed() ? "The store is recovered." : "The store is healthy; nothing was changed.")
                        : "The store still has problems; 'minsky doctor' explains what to do next.");
            }
            return r.ok() ? ExitCode.OK : ExitCode.FINDINGS;
        }
    }
}
