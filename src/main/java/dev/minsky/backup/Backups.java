package dev.minsky.backup;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.model.Timestamps;
import dev.minsky.store.Progress;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Backups: exports in the one JSON format, in {@code <state>/backups/sessions-<UTC time>.json}.
 * Every backup is read back and compared with what was written before it is trusted. Any valid
 * export placed in the directory counts as a backup.
 */
public final class Backups {

    /** A backup file with what it holds. */
    public record Backup(Path file, Instant modified, int sessions) {}

    private Backups() {}

    public static Path dir(Settings s) {
        return s.backupsDir();
    }

    /** Exports the whole store into a new, verified backup file and returns it. */
    public static Backup create(Settings s, SessionStore store, Clock clock) {
        return write(s, store.list(SessionQuery.ALL), clock);
    }

    /** Writes these records as a new verified backup. */
    public static Backup write(Settings s, List<SessionRecord> records, Clock clock) {
        return write(s, records, clock, Progress.NONE);
    }

    /**
     * {@link #write(Settings, List, Clock)}, each step on {@code progress}: the sessions written
     * (counted with the total), then the bytes read back to check it (counted with the file's size).
     * A backup of 100,000 sessions is tens of megabytes and takes seconds each way.
     */
    public static Backup write(Settings s, List<SessionRecord> records, Clock clock, Progress progress) {
        Path dir = dir(s);
        Instant now = clock.instant();
        Path file = dir.resolve("sessions-" + Timestamps.fileStampMillis(now) + ".json");
        for (int i = 1; Files.exists(file); i++) {
            file = dir.resolve("sessions-" + Timestamps.fileStampMillis(now) + "-" + i + ".json");
        }
        try {
            dev.minsky.util.PrivateFiles.createDirectories(dir);
            progress.phase("backup: writing " + count(records.size(), "session"), records.size());
            byte[] data;
            try (com.fasterxml.jackson.core.util.ByteArrayBuilder out = new com.fasterxml.jackson.core.util.ByteArrayBuilder()) {
                SessionJson.writeTo(out, sink -> records.forEach(r -> {
                    sink.accept(r);
                    progress.advance(1);
                }));
                data = out.toByteArray();
            }
            progress.phase("backup: saving " + count(data.length, "byte") + " to " + file.getFileName());
            AtomicFiles.write(file, data, "rw-------");
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot write a backup to " + dir + ": " + e.getMessage(),
                    "nothing was changed; free space or fix permissions of " + dir + " and retry");
        }
        verify(file, records, progress);
        return new Backup(file, now, records.size());
    }

    private static String count(long n, String noun) {
        return String.format(java.util.Locale.ROOT, "%,d %s", n, n == 1 ? noun : noun + "s");
    }

    /** Reads a backup back and checks it holds exactly these records. */
    public static void verify(Path file, List<SessionRecord> expected) {
        verify(file, expected, Progress.NONE);
    }

    /** {@link #verify(Path, List)}, the bytes parsed counted on {@code progress} against the file's size. */
    public static void verify(Path file, List<SessionRecord> expected, Progress progress) {
        List<SessionRecord> back;
        try {
            byte[] data = Files.readAllBytes(file);
            progress.phase("backup: reading back (bytes)", data.length);
            long[] done = {0};
            back = SessionJson.parseCounted(data, (long end) -> {
                progress.advance(end - done[0]);
                done[0] = end;
            });
            progress.advance(data.length - done[0]);
        } catch (IOException | SessionJson.FormatException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "the backup " + file + " could not be read back: " + e.getMessage(),
                    "nothing was changed; check the disk holding " + file.getParent());
        }
        if (!sameRecords(back, expected, progress)) {
            throw new MinskyException(ExitCode.INCOMPLETE, "the backup " + file + " does not hold the same sessions as the store",
                    "nothing was changed; check the disk holding " + file.getParent());
        }
    }

    /**
     * The same set of records (as {@code new HashSet<>(back).equals(new HashSet<>(expected))} with
     * equal sizes: {@code back} is a parsed document, so its names, hence its records, are unique),
     * each record hashed and looked up counted on {@code progress}: at 100,000 sessions this takes seconds.
     */
    private static boolean sameRecords(List<SessionRecord> back, List<SessionRecord> expected, Progress progress) {
        if (back.size() != expected.size()) {
            return false;
        }
        progress.phase("backup: comparing with " + count(expected.size(), "session"), 2L * expected.size());
        java.util.Set<SessionRecord> want = new java.util.HashSet<>(expected.size() * 2);
        for (SessionRecord r : expected) {
            want.add(r);
            progress.advance(1);
        }
        if (want.size() != back.size()) {
            return false;
        }
        for (SessionRecord r : back) {
            if (!want.contains(r)) {
                return false;
            }
            progress.advance(1);
        }
        return true;
    }

    /** Every readable backup, newest first. Files that do not parse are left out. */
    public static List<Backup> list(Settings s) {
        Path dir = dir(s);
        List<Backup> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                // counted as a stream, as parse would count it; not a valid export: not a backup
                long n = SessionJson.countIfValid(f);
                if (n >= 0) {
                    try {
                        out.add(new Backup(f, Files.getLastModifiedTime(f).toInstant(), (int) n));
                    } catch (IOException e) {
                        // gone since it was listed: not a backup
                    }
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.comparing(Backup::modified).reversed());
        return out;
    }

    public static Optional<Backup> newest(Settings s) {
        return list(s).stream().findFirst();
    }
}
