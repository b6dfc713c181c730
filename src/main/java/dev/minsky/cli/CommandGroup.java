package dev.minsky.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command with subcommands that keeps them out of its {@code @Command} annotation: picocli builds
 * every command an annotation names by reflection, so {@link MinskyCommand#commandLine(dev.minsky.AppContext,
 * String...)} adds only the one a run names, and all of them for help, completion and man pages.
 */
interface CommandGroup {
    /** The subcommands by name, in the order help lists them; built lazily, so only classes here, no instances. */
    Map<String, Class<?>> subcommands();

    /** Commands by name in the order given, unmodifiable: each group's {@link #subcommands()} and the root's. */
    @SafeVarargs
    static Map<String, Class<?>> inOrder(Map.Entry<String, Class<?>>... commands) {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        for (Map.Entry<String, Class<?>> c : commands) {
            m.put(c.getKey(), c.getValue());
        }
        return Collections.unmodifiableMap(m);
    }
}
