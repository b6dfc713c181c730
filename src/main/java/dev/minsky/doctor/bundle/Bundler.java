package dev.minsky.doctor.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.minsky.AppContext;
import dev.minsky.config.Settings;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.log.MinskyLog;
import dev.minsky.model.SessionRecord;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code doctor --bundle}: a bug-report archive that never carries a secret. It gathers what a
 * maintainer needs (version, platform, findings, probe timings, facts, configuration, log tail,
 * free space, store statistics), passes every value through the {@link Sanitizer}, renders the
 * Markdown and HTML reports from FreeMarker templates, writes a manifest, and then scans every
 * entry and entry name once more for every known secret and every secret pattern. A hit there
 * means some path slipped past the sanitizer: the bundle is refused (exit 4) and nothing is
 * written.
 *
 * <p>This class puts the steps together; each has its own: {@link BundleCollector} (collecting),
 * {@link BundleModel} (the sanitized model), {@link BundleRendering} (reports, JSON entries, manifest)
 * and {@link BundleWriter} (final scan, preview or archive).
 */
public final class Bundler {
    /**
     * @param file the archive to write, or null for minsky-bundle-&lt;UTC time&gt;.zip in the working directory
     * @param preview print the manifest and report instead of writing
     * @param includeData include the (sanitized) session records
     * @param args the command line as the user typed it (scrubbed before it goes in); may be empty
     */
    public record Options(Path file, boolean preview, boolean includeData, List<String> args) {
        public Options {
            args = args == null ? List.of() : List.copyOf(args);
        }

        public Options(Path file, boolean preview, boolean includeData) {
            this(file, preview, includeData, List.of());
        }
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Bundler() {}

    /**
     * Writes the bundle and returns its path (null with preview, which prints the manifest and the
     * Markdown report to standard output instead). The caller prints the returned path.
     */
    public static Path write(DoctorEnv env, DoctorReport report, Options options) {
        return write(env, report, options, List.of());
    }

    /**
     * As {@link #write(DoctorEnv, DoctorReport, Options)}, with entries added after sanitizing and
     * before the final scan: a path the sanitizer does not cover, for the test that the final scan
     * fails closed.
     */
    static Path write(DoctorEnv env, DoctorReport report, Options options, List<Archive.Entry> unsanitized) {
        AppContext ctx = env.ctx();
        Instant now = ctx.clock().instant();
        Path target = BundleWriter.target(ctx, options, now);
        Archive.Format format = target == null ? Archive.Format.ZIP : Archive.Format.forFile(target);
        MinskyLog log = env.log() != null ? env.log() : MinskyLog.forContext(ctx);
        Settings settings = env.settings() != null ? env.settings() : env.config().settingsLenient();

        // collecting
        StoreLook look = StoreLook.take(settings, report);
        List<SessionRecord> allRecords = new ArrayList<>(look.sessions());
        allRecords.addAll(StoreLook.otherStores(settings));
        KnownSecrets known = BundleCollector.collectSecrets(env, allRecords);
        Sanitizer san = new Sanitizer(known, Pseudonyms.forContext(ctx));

        // the model, sanitized
        BundleModel model = BundleModel.build(env, report, settings, options, now, look, log, san);

        // rendering
        List<BundleRendering.Item> items = BundleRendering.items(ctx, san, model);
        List<Archive.Entry> entries = new ArrayList<>();
        for (BundleRendering.Item it : items) {
            entries.add(new Archive.Entry(it.name(), it.data()));
        }
        byte[] manifest = BundleRendering.manifest(san, items, known, now, target == null ? "preview" : format.id(), options.includeData());
        entries.add(new Archive.Entry("manifest.json", manifest));
        entries.addAll(unsanitized);

        // writing (after the final scan)
        return BundleWriter.write(ctx, log, san, entries, manifest, items.get(0).data(), format, target, now);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For tests and docs: the generated default file name at a given time. */
    static String defaultFileName(Instant now) {
        return "minsky-bundle-" + dev.minsky.model.Timestamps.fileStamp(now) + ".zip";
    }
}
