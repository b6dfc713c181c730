package dev.minsky.backend.sqlite.probe;

import dev.minsky.backend.sqlite.SqliteFiles;
import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * What sits at the SQLite path, from its first bytes, and whether WAL files lie beside it and hold
 * committed work not yet in the database (read from the files' bytes, see {@link WalFile}).
 */
public final class SqliteFileProbe implements Probe {
    @Override
    public String id() {
        return "sqlite.file";
    }

    @Override
    public String checking() {
        return "the SQLite database file";
    }

    @Override
    public Cost cost() {
        return Cost.CHEAP;
    }

    @Override
    public boolean appliesTo(String backend) {
        return "sqlite".equals(backend);
    }

    @Override
    public Set<String> produces() {
        return Set.of("sqlite.header.ok", "sqlite.file.empty", "sqlite.looksLikeJson", "sqlite.wal.exists",
                "sqlite.shm.exists", "sqlite.wal.bytes", "sqlite.wal.header.ok", "sqlite.wal.complete", "sqlite.wal.committedFrames",
                "sqlite.wal.commits", "sqlite.wal.backfilledFrames", "sqlite.wal.uncheckpointedFrames");
    }

    @Override
    public void run(ProbeContext ctx) throws IOException {
        Path db = ctx.settings().sqlitePath();
        Path wal = SqliteFiles.wal(db);
        ctx.emit("sqlite.wal.exists", Files.exists(wal));
        ctx.emit("sqlite.shm.exists", Files.exists(SqliteFiles.shm(db)));
        if (Files.isRegularFile(wal)) {
            ctx.emit("sqlite.wal.bytes", Files.size(wal));
        }
        if (!Files.isRegularFile(db) || !Files.isReadable(db)) {
            ctx.detail(Files.exists(db) ? "the database path is not a readable file" : "the database file does not exist");
            if (Files.isRegularFile(wal)) {
                walFrames(ctx, db);
            }
            return;
        }
        byte[] head = SqliteFiles.head(db);
        ctx.emit("sqlite.file.empty", head.length == 0);
        ctx.emit("sqlite.header.ok", SqliteFiles.headerOk(head));
        ctx.emit("sqlite.looksLikeJson", looksLikeJson(head));
        if (Files.isRegularFile(wal)) {
            // last: on a -wal of gigabytes the walk may be cut short, the facts above must not be
            walFrames(ctx, db);
        }
    }

    /** What the -wal holds beyond the last checkpoint; absent when it cannot be read (see WalFile). */
    private static void walFrames(ProbeContext ctx, Path db) {
        WalFile w;
        try {
            // leave a quarter of the time, and at least 100 ms, to hand the facts over before the timeout
            long budget = ctx.remaining().toNanos();
            w = WalFile.read(db, System.nanoTime() + Math.min(budget * 3 / 4, budget - 100_000_000L));
        } catch (IOException e) {
            ctx.detail("the -wal could not be read: " + e.getMessage());
            return;
        }
        ctx.emit("sqlite.wal.header.ok", w.headerOk());
        ctx.emit("sqlite.wal.complete", w.complete());
        ctx.emit("sqlite.wal.committedFrames", w.committedFrames());
        ctx.emit("sqlite.wal.commits", w.commits());
        if (w.backfilledFrames() >= 0) {
            ctx.emit("sqlite.wal.backfilledFrames", w.backfilledFrames());
        }
        // Cut short with nothing pending found yet, the rest of the log may still hold work: unknown.
        if (w.complete() || w.uncheckpointedFrames() > 0) {
            ctx.emit("sqlite.wal.uncheckpointedFrames", w.uncheckpointedFrames());
        } else {
            ctx.detail("the -wal was too large to read within the probe's time; whether it holds work is unknown");
        }
    }

    static boolean looksLikeJson(byte[] head) {
        int i = 0;
        // a UTF-8 byte order mark, then whitespace
        if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
            i = 3;
        }
        while (i < head.length && Character.isWhitespace(head[i])) {
            i++;
        }
        return i < head.length && (head[i] == '[' || head[i] == '{');
    }
}
