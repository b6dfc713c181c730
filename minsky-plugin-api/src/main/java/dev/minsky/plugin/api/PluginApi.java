package dev.minsky.plugin.api;

/**
 * The version of the plugin API: the interfaces {@link dev.minsky.doctor.probe.Probe},
 * {@link dev.minsky.doctor.fix.RemediationAction} and {@link dev.minsky.store.StoreProvider} and
 * every type their methods take or return (this module, {@code dev.minsky:minsky-plugin-api}).
 *
 * <p>A plugin jar says which version it was built for with the manifest attribute
 * {@value #MANIFEST_ATTRIBUTE}{@code : }{@value #VERSION}. minsky loads a jar only when that
 * attribute equals its own {@link #VERSION}; any other jar (no attribute, another number) is
 * skipped, and {@code minsky doctor} names it. The number goes up whenever a change could break a
 * compiled plugin (a method removed or changed, a new abstract method); additions with a default
 * keep it.
 */
public final class PluginApi {
    /** The plugin API version this build of minsky implements. */
    public static final int VERSION = 1;

    /** The jar manifest attribute that holds the API version a plugin was built for. */
    public static final String MANIFEST_ATTRIBUTE = "Minsky-Plugin-Api";

    private PluginApi() {}
}
