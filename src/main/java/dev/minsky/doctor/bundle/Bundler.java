package dev.minsky.doctor.bundle;

import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.DoctorReport;
import java.nio.file.Path;

/** {@code doctor --bundle}. (Owned by the bundle work.) */
public final class Bundler {
    /**
     * @param file the archive to write, or null for minsky-bundle-&lt;UTC time&gt;.zip in the working directory
     * @param preview print the manifest and report instead of writing
     * @param includeData include the (sanitized) session records
     */
    public record Options(Path file, boolean preview, boolean includeData) {}

    private Bundler() {}

    /** Writes the bundle and returns its path (null with preview). */
    public static Path write(DoctorEnv env, DoctorReport report, Options options) {
        throw new UnsupportedOperationException("--bundle is not built yet");
    }
}
