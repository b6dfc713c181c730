package dev.minsky.cli;

import dev.minsky.util.BuildVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code minsky --version}: the version Maven wrote into the jar manifest ({@link BuildVersion}). */
public final class Version implements IVersionProvider {
    public static String version() {
        return BuildVersion.version();
    }

    @Override
    public String[] getVersion() {
        return new String[] {"minsky " + version(), "Java " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vendor") + "), " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }
}
