package dev.minsky.doctor.kb;

import dev.minsky.MinskyPaths;
import dev.minsky.doctor.engine.PlaybookLoader;
import dev.minsky.doctor.model.PlaybookError;
import dev.minsky.plugin.Plugins;
import java.util.List;

/**
 * The playbooks plugin jars carry, as the doctor loads them: each
 * {@code META-INF/minsky/knowledge-base/*.yaml} entry of each loadable jar in the plugins
 * directory ({@link PlaybookLoader#pluginTexts}), jars and entries in name order, reported under
 * {@code <jar path>!/META-INF/minsky/knowledge-base/<name>.yaml}.
 */
public final class PluginPlaybooks {
    /** Between a jar's path and an entry's name in a playbook's source. */
    public static final String SEPARATOR = PlaybookLoader.JAR_SEPARATOR;

    /** What the jars held, and the jars that could not be read. */
    public record Found(List<PlaybookLoader.Text> texts, List<PlaybookError> errors) {}

    private PluginPlaybooks() {}

    /**
     * The playbooks of the loadable jars; a jar minsky skips (not a readable jar, built for
     * another plugin API) is an error here, so {@code kb validate} names it (the doctor reports
     * skipped jars with the plugins' own problems instead).
     */
    public static Found read(MinskyPaths paths) {
        List<Plugins.Jar> jars = Plugins.jars(paths);
        PlaybookLoader.PluginTexts t = PlaybookLoader.pluginTexts(jars);
        List<PlaybookError> errors = new java.util.ArrayList<>();
        for (Plugins.Jar j : jars) {
            if (j.problem() != null) {
                errors.add(new PlaybookError(j.path().toString(), 0, "", j.problem()));
            }
        }
        errors.addAll(t.errors());
        return new Found(t.texts(), List.copyOf(errors));
    }
}
