package dev.minsky.cli;

import dev.minsky.ExitCode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code minsky sessiondb ...}: store administration. The work is in {@code dev.minsky.admin}. */
@Command(name = "sessiondb", description = "Create, migrate, verify, repair, back up and restore the session store.")
public final class SessionDbCommand extends BaseCommand implements CommandGroup {
    /** The subcommands in the order help lists them (not in the annotation: see {@link CommandGroup}). */
    private static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("init", SessionDbInit.class);
        SUBCOMMANDS.put("migrate", SessionDbMigrate.class);
        SUBCOMMANDS.put("test-connection", SessionDbHealth.TestConnection.class);
        SUBCOMMANDS.put("verify", SessionDbIntegrity.Verify.class);
        SUBCOMMANDS.put("repair", SessionDbIntegrity.Repair.class);
        SUBCOMMANDS.put("restore", SessionDbTransfer.Restore.class);
        SUBCOMMANDS.put("export", SessionDbTransfer.Export.class);
        SUBCOMMANDS.put("import", SessionDbTransfer.Import.class);
        SUBCOMMANDS.put("reset", SessionDbReset.class);
        SUBCOMMANDS.put("recover", SessionDbIntegrity.Recover.class);
        SUBCOMMANDS.put("healthcheck", SessionDbHealth.Healthcheck.class);
    }

    @Override
    public Map<String, Class<?>> subcommands() {
        return Collections.unmodifiableMap(SUBCOMMANDS);
    }

    @Override
    protected int execute() {
        spec.commandLine().usage(out());
        return ExitCode.OK;
    }
}
