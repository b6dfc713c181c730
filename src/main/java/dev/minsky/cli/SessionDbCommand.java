package dev.minsky.cli;

import dev.minsky.ExitCode;
import picocli.CommandLine.Command;

/** {@code minsky sessiondb ...}: store administration. The work is in {@code dev.minsky.admin}. */
@Command(name = "sessiondb", description = "Create, migrate, verify, repair, back up and restore the session store.",
        subcommands = {SessionDbInit.class, SessionDbMigrate.class, SessionDbHealth.TestConnection.class,
                SessionDbIntegrity.Verify.class, SessionDbIntegrity.Repair.class, SessionDbTransfer.Restore.class,
                SessionDbTransfer.Export.class, SessionDbTransfer.Import.class, SessionDbReset.class,
                SessionDbIntegrity.Recover.class, SessionDbHealth.Healthcheck.class})
public final class SessionDbCommand extends BaseCommand {
    @Override
    protected int execute() {
        spec.commandLine().usage(out());
        return ExitCode.OK;
    }
}
