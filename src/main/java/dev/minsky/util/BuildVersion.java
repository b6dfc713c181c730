package dev.minsky.util;

/**
 * The version Maven wrote into the jar manifest ({@code Implementation-Version}), {@code dev}
 * when run from classes (tests). Here, below every other package, so that the bundle and the
 * command line can both name it; {@code cli.Version} re-exports it for picocli.
 */
public final class BuildVersion {
    private BuildVersion() {}

    public static String version() {
        String v = BuildVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
