package dev.minsky.cli;

import dev.minsky.admin.AdminContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.backup.Backups;
import dev.minsky.model.SessionJson;

/** What the {@code sessiondb} subcommands share: the admin services' context. */
abstract class SessionDbBase extends BaseCommand {

    /** The context of this run: the configured backend unless {@code --backend} says otherwise. */
    protected AdminContext admin() {
        return new AdminContext(root().config(), root().settings(), ctx().clock(), root().log(),
                line -> progressLine("minsky: " + line), progress());
    }

    /** The backend named with the inherited {@code --backend} flag, or null. */
    protected String backendFlag() {
        return root().backend;
    }

    protected static String backupLine(Backups.Backup b) {
        return b == null ? "none needed (the store was empty)" : b.file() + " (" + b.sessions() + " session" + (b.sessions() == 1 ? "" : "s") + ")";
    }

    protected static ObjectNode obj() {
        return SessionJson.mapper().createObjectNode();
    }

    /** A backup as JSON ({@code file}, {@code sessions}, {@code time}), or null. */
    protected static JsonNode backupJson(Backups.Backup b) {
        if (b == null) {
            return NullNode.getInstance();
        }
        ObjectNode n = obj();
        n.put("file", b.file().toString());
        n.put("sessions", b.sessions());
        n.put("time", b.modified().toString());
        return n;
    }

    protected static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    protected void overrideNote(String overriddenBy, String backend) {
        if (overriddenBy != null) {
            err().println("note: the user config now selects " + backend + ", but " + overriddenBy
                    + " still selects another backend for this environment");
        }
    }
}
