package dev.minsky.cli;

import dev.minsky.ExitCode;
import picocli.CommandLine.Command;

/** {@code minsky sessiondb ...}: store administration. */
@Command(name = "sessiondb", description = "Create, migrate, verify, repair, back up and restore the session store.")
public final class SessionDbCommand extends BaseCommand {
    @Override
    protected int execute() {
        spec.commandLine().usage(out());
        return ExitCode.OK;
    }
}
