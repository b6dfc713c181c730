package dev.minsky.cli;

import java.util.Map;

/**
 * A command with subcommands that keeps them out of its {@code @Command} annotation: picocli builds
 * every command an annotation names by reflection, so {@link MinskyCommand#commandLine(dev.minsky.AppContext,
 * String...)} adds only the one a run names, and all of them for help, completion and man pages.
 */
interface CommandGroup {
    /** The subcommands by name, in the order help lists them; built lazily, so only classes here, no instances. */
    Map<String, Class<?>> subcommands();
}
