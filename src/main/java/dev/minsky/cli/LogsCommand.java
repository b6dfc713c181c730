package dev.minsky.cli;

import dev.minsky.ExitCode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code minsky logs --component sessiondb --tail 50}. */
@Command(name = "logs", description = "Show minsky's own log (<state>/logs/minsky.log).")
public final class LogsCommand extends BaseCommand {
    @Option(names = "--component", paramLabel = "NAME", description = "Only lines of this component (sessiondb, doctor, config, cli, bundle).")
    String component;

    @Option(names = {"--tail", "-n"}, paramLabel = "N", defaultValue = "50", description = "How many lines (default ${DEFAULT-VALUE}).")
    int tail;

    @Option(names = "--json", description = "Print lines as a JSON array of {time, level, component, message}.")
    boolean json;

    @Override
    protected int execute() throws Exception {
        if (tail < 0) {
            throw dev.minsky.MinskyException.badInput("--tail must be 0 or more", "e.g. --tail 50");
        }
        if (component != null && !dev.minsky.log.MinskyLog.COMPONENTS.contains(component)) {
            throw dev.minsky.MinskyException.badInput("unknown log component '" + component + "'",
                    "use one of " + String.join(", ", dev.minsky.log.MinskyLog.COMPONENTS));
        }
        List<String> lines = root().log().tail(component, tail);
        if (json) {
            var arr = dev.minsky.model.SessionJson.mapper().createArrayNode();
            for (String l : lines) {
                String[] p = l.split(" ", 4);
                var n = arr.addObject();
                n.put("time", p[0]);
                n.put("level", p.length > 1 ? p[1] : "");
                n.put("component", p.length > 2 ? p[2] : "");
                n.put("message", p.length > 3 ? p[3] : "");
            }
            printJson(arr);
        } else {
            lines.forEach(out()::println);
        }
        return ExitCode.OK;
    }
}
