package dev.minsky.cli;

import dev.minsky.ExitCode;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code minsky sessiondb ...}: store administration. The work is in {@code dev.minsky.admin}. */
@Command(name = "sessiondb", description = "Create, migrate, verify, repair, back up and restore the session store.")
public final class SessionDbCommand extends BaseCommand implements CommandGroup {
    /** The subcommands in the order help lists them (not in the annotation: see {@link CommandGroup}). */
    private static final Map<String, Class<?>> SUBCOMMANDS = CommandGroup.inOrder(
            Map.entry("init", SessionDbInit.class),
            Map.entry("migrate", SessionDbMigrate.class),
            Map.entry("test-connection", SessionDbHealth.TestConnection.class),
            Map.entry("verify", SessionDbIntegrity.Verify.class),
            Map.entry("repair", SessionDbIntegrity.Repair.class),
            Map.entry("restore", SessionDbTransfer.Restore.class),
            Map.entry("export", SessionDbTransfer.Export.class),
            Map.entry("import", SessionDbTransfer.Import.class),
            Map.entry("reset", SessionDbReset.class),
            Map.entry("recover", SessionDbIntegrity.Recover.class),
            Map.entry("healthcheck", SessionDbHealth.Healthcheck.class));

    @Override
    public Map<String, Class<?>> subcommands() {
        return SUBCOMMANDS;
    }

    @Override
    protected int execute() {
        spec.commandLine().usage(out());
        return ExitCode.OK;
    }
}
