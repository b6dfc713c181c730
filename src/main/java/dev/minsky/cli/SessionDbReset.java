package dev.minsky.cli;

import dev.minsky.admin.StoreLifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code minsky sessiondb reset --backend BACKEND --force}. */
@Command(name = "reset", description = {
        "Delete a backend's store and create an empty one (after a verified backup).",
        "The backend is the one given with --backend, else the configured one. Without --force it only says what it",
        "would delete. With --force a verified backup is taken first and its path printed; a store that cannot be",
        "read is not deleted (use 'recover')."})
final class SessionDbReset extends SessionDbBase {
    @Option(names = "--force", description = "Really delete the store (after a verified backup).")
    boolean force;

    @Override
    protected int execute() {
        StoreLifecycle.ResetResult r = new StoreLifecycle(admin()).reset(force);
        out().println("Reset the " + r.backend() + " store at " + r.location() + ": removed " + plural(r.sessions(), "session") + ".");
        out().println("Backup: " + backupLine(r.backup()));
        if (r.backup() != null) {
            out().println("To put them back: minsky sessiondb import --file " + r.backup().file());
        }
        return ok();
    }
}
