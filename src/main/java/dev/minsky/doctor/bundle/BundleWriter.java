package dev.minsky.doctor.bundle;

import dev.minsky.AppContext;
import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.log.MinskyLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writing, for {@code doctor --bundle}: where the archive goes, the final scan of every entry and
 * entry name for every known secret and pattern (a hit refuses the bundle, exit 4, and nothing is
 * written), then the preview on standard output or the archive written atomically.
 */
final class BundleWriter {
    private BundleWriter() {}

    /** The archive's path for these options (null with preview), checked to be writable before any work. */
    static Path target(AppContext ctx, Bundler.Options options, Instant now) {
        if (options.preview()) {
            return null;
        }
        Path target = options.file() != null ? ctx.cwd().resolve(options.file()).toAbsolutePath().normalize()
                : ctx.cwd().resolve(Bundler.defaultFileName(now));
        Archive.ensureWritableTarget(target);
        return target;
    }

    /**
     * Scans the entries, then prints the preview (the manifest and the first item) when
     * {@code target} is null, else writes the archive there. Returns {@code target}.
     */
    static Path write(AppContext ctx, MinskyLog log, Sanitizer san, List<Archive.Entry> entries, byte[] manifest, byte[] firstItem,
                      Archive.Format format, Path target, Instant now) {
        finalScan(entries, san);
        if (target == null) {
            ctx.out().println(new String(manifest, StandardCharsets.UTF_8));
            ctx.out().println();
            ctx.out().println(new String(firstItem, StandardCharsets.UTF_8));
            ctx.out().flush();
            return null;
        }
        byte[] archive;
        try {
            archive = Archive.build(format, entries, now);
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INTERNAL, "cannot build the bundle archive: " + e.getMessage(), null, e);
        }
        Archive.writeAtomically(target, archive);
        log.info("bundle", "wrote " + format.id() + " bundle " + target + " (" + entries.size() + " files, "
                + archive.length + " bytes)");
        return target;
    }

    /** Refuses the bundle when any entry or entry name still holds a secret or a real name. */
    static void finalScan(List<Archive.Entry> entries, Sanitizer san) {
        for (Archive.Entry e : entries) {
            String content = new String(e.data(), StandardCharsets.UTF_8);
            for (String[] part : new String[][] {{"the name of an entry", e.name()}, {"entry " + safeName(e.name(), san), content}}) {
                List<SecretScanner.Hit> hits = new ArrayList<>();
                hits.addAll(SecretScanner.scanKnown(part[1], san.known()));
                hits.addAll(SecretScanner.scanPatterns(part[1]));
                hits.addAll(san.pseudonyms().scan(part[1]));
                if (!hits.isEmpty()) {
                    SecretScanner.Hit h = hits.get(0);
                    long line = part[1].substring(0, h.start()).chars().filter(ch -> ch == '\n').count() + 1;
                    throw new MinskyException(ExitCode.INTERNAL,
                            "the bundle was not written: the final scan found " + SecretScanner.describe(h.kind())
                                    + " in " + part[0] + " (line " + line + "), which the sanitizer should have removed",
                            "nothing was written; this is a bug in minsky's sanitizer: report it (without the bundle), "
                                    + "and describe the problem by hand meanwhile");
                }
            }
        }
    }

    private static String safeName(String name, Sanitizer san) {
        return san.text(name, new Sanitizer.Counter());
    }

}
