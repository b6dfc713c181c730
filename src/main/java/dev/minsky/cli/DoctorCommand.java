package dev.minsky.cli;

import dev.minsky.ExitCode;
import picocli.CommandLine.Command;

/** {@code minsky doctor}: diagnose, fix, bundle. */
@Command(name = "doctor", description = "Find out why the session store is broken, and fix it.")
public final class DoctorCommand extends BaseCommand {
    @Override
    protected int execute() {
        spec.commandLine().usage(out());
        return ExitCode.OK;
    }
}
