package dev.minsky.doctor.probe.store;

import dev.minsky.doctor.probe.ProbeContext;
import dev.minsky.model.SessionJson;
import dev.minsky.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Places beside the configured store file where sessions may be: the temp files an interrupted
 * atomic write leaves ({@code .minsky-tmp-<file>-*}, see {@link AtomicFiles}) and the
 * {@code <file>.corrupt-*} copies a salvage or recovery kept. Read only, never changed.
 */
final class Places {
    private Places() {}

    /** A file beside the store, with its sessions (-1: unreadable or not whole). */
    record Copy(Path path, long sessions, FileTime modified) {}

    static List<Path> beside(Path store, String prefix) {
        Path dir = store.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The sessions of a temp file when it is a whole, valid document; -1 otherwise (a write cut short). */
    static long wholeDocument(Path p) {
        try {
            return SessionJson.parse(Files.readAllBytes(p)).size();
        } catch (IOException | SessionJson.FormatException | RuntimeException e) {
            return -1;
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    static void tempFiles(ProbeContext ctx, Path store, List<String> elsewhere) {
        List<Copy> all = new ArrayList<>();
        for (Path p : beside(store, AtomicFiles.TEMP_PREFIX + store.getFileName() + "-")) {
            all.add(new Copy(p, wholeDocument(p), modified(p)));
        }
        ctx.emit("store.tempFiles.count", (long) all.size());
        List<Copy> complete = all.stream().filter(c -> c.sessions() >= 0).toList();
        ctx.emit("store.tempFiles.complete", (long) complete.size());
        complete.stream().max(Comparator.comparing(Copy::modified).thenComparing(Copy::sessions)).ifPresent(c -> {
            ctx.emit("store.tempFiles.newest.path", c.path().toString());
            ctx.emit("store.tempFiles.newest.sessions", c.sessions());
            if (c.sessions() > 0) {
                elsewhere.add(c.path() + " (complete temp file, " + c.sessions() + " sessions)");
            }
        });
    }

    /**
     * The configured store's {@code .corrupt} copies, counted by its backend ({@code counter}: -1 when
     * unreadable); returns the most whole records one of them holds, or -1 when none could be counted.
     */
    static long corruptCopies(ProbeContext ctx, Path store, java.util.function.ToLongFunction<Path> counter, List<String> elsewhere) {
        List<Copy> all = new ArrayList<>();
        for (Path p : beside(store, store.getFileName() + ".corrupt")) {
            all.add(new Copy(p, counter.applyAsLong(p), modified(p)));
        }
        ctx.emit("store.corruptCopies.count", (long) all.size());
        Copy best = all.stream().filter(c -> c.sessions() >= 0).max(Comparator.comparing(Copy::sessions)).orElse(null);
        if (best == null) {
            return -1;
        }
        ctx.emit("store.corruptCopies.maxSessions", best.sessions());
        ctx.emit("store.corruptCopies.bestPath", best.path().toString());
        if (best.sessions() > 0) {
            elsewhere.add(best.path() + " (damaged copy, " + best.sessions() + " whole records)");
        }
        return best.sessions();
    }
}
