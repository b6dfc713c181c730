package dev.minsky.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.admin.Health;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code minsky sessiondb test-connection} and {@code minsky sessiondb healthcheck}. */
final class SessionDbHealth {
    private SessionDbHealth() {}

    @Command(name = "test-connection", description = {
            "Open the configured store and report backend, location, sessions and latency.",
            "Exit 3 when the store cannot be reached."})
    static final class TestConnection extends SessionDbBase {
        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        protected int execute() {
            Health.Connection c = new Health(admin()).testConnection();
            if (json) {
                ObjectNode n = obj();
                n.put("backend", c.backend());
                n.put("location", c.location());
                n.put("exists", c.exists());
                n.put("sessions", c.sessions());
                n.put("schemaVersion", c.schemaVersion());
                n.put("millis", c.millis());
                printJson(n);
                return ok();
            }
            out().println("Backend:  " + c.backend());
            out().println("Store:    " + c.location() + (c.exists() ? "" : "  (does not exist yet: 'minsky sessiondb init --backend " + c.backend() + "')"));
            out().println("Sessions: " + c.sessions());
            out().println("Schema:   " + c.schemaVersion());
            out().println("Latency:  " + c.millis() + " ms");
            out().println("Connection OK.");
            return ok();
        }
    }

    @Command(name = "healthcheck", description = {
            "Quiet check for cron: exit 0 healthy, 1 problems, 3 unreachable.",
            "Healthy means the configured store opens, verifies and answers. Prints one line on stderr when it is not."})
    static final class Healthcheck extends SessionDbBase {
        @Option(names = "--json", description = "Print the result as JSON on stdout.")
        boolean json;

        @Override
        protected int execute() {
            Health.Check c;
            try {
                c = new Health(admin()).healthcheck();
            } catch (MinskyException e) {
                // an unusable config is a problem of this installation, not a usage error of the cron line
                err().println("minsky healthcheck: " + root().log().scrub(e.getMessage()));
                return e.exitCode() == ExitCode.INCOMPLETE ? ExitCode.INCOMPLETE : ExitCode.FINDINGS;
            }
            if (json) {
                ObjectNode n = obj();
                n.put("status", c.status().name().toLowerCase(java.util.Locale.ROOT));
                n.put("backend", c.backend());
                n.put("location", c.location());
                n.put("sessions", c.sessions());
                n.put("millis", c.millis());
                n.put("problem", c.problem());
                printJson(n);
            }
            if (c.status() != Health.Status.HEALTHY) {
                err().println("minsky healthcheck: " + c.status().name().toLowerCase(java.util.Locale.ROOT) + ": " + c.backend()
                        + " store " + c.location() + ": " + root().log().scrub(c.problem()));
                root().log().warn("sessiondb", "healthcheck " + c.status() + ": " + c.problem());
            }
            return c.exitCode();
        }
    }
}
