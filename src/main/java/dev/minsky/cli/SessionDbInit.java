package dev.minsky.cli;

import dev.minsky.admin.StoreLifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code minsky sessiondb init [--backend ID] [--force]}. */
@Command(name = "init", description = {
        "Create a backend's store (or upgrade its schema) and make it the configured backend.",
        "The backend is the one given with --backend, else the configured one.",
        "A store that already holds sessions is left alone unless --force, which takes a verified backup first."})
final class SessionDbInit extends SessionDbBase {
    @Option(names = "--force", description = "Initialise a store that already holds sessions (after a verified backup).")
    boolean force;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    protected int execute() {
        StoreLifecycle.InitResult r = new StoreLifecycle(admin()).init(force);
        if (json) {
            var n = obj();
            n.put("backend", r.backend());
            n.put("location", r.location());
            n.put("existed", r.existed());
            n.put("sessions", r.sessions());
            n.put("schemaVersion", r.schemaVersion());
            n.set("backup", backupJson(r.backup()));
            n.put("overriddenBy", r.overriddenBy());
            printJson(n);
        } else {
            out().println((r.existed() ? "Initialised the existing " : "Created the ") + r.backend() + " store at " + r.location()
                    + " (schema version " + r.schemaVersion() + ", " + plural(r.sessions(), "session") + ").");
            if (r.backup() != null) {
                out().println("Backup taken first: " + backupLine(r.backup()));
            }
            out().println("sessiondb.backend is now " + r.backend() + " in the user config.");
        }
        overrideNote(r.overriddenBy(), r.backend());
        return ok();
    }
}
