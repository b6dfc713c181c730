package dev.minsky.backend.sqlite.probe;

import dev.minsky.backend.sqlite.SqliteFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a {@code -wal} file holds, read from its bytes without SQLite (opening the database would
 * change the very files being judged). The format is SQLite's (https://www.sqlite.org/fileformat.html,
 * "The Write-Ahead Log"): a 32-byte header (magic, version, page size, checkpoint sequence, two salts,
 * a checksum), then frames of a 24-byte header (page number, database size after commit or 0, the
 * two salts, a running checksum) and one page. A frame counts only while its salts equal the
 * header's and the running checksum holds; the log ends at the first that does not. Frames after
 * the last commit frame are an unfinished transaction SQLite ignores too.
 *
 * <p>Which committed frames a checkpoint already copied into the database is in the {@code -shm}
 * (the wal-index header's salts and the checkpoint info's nBackfill, in the host's byte order).
 * It is used only when both copies of its header agree and its salts are this WAL's; otherwise every
 * committed frame counts as not yet copied (a TRUNCATE checkpoint empties the file and a RESTART
 * one makes the next writer change the salts, so valid frames under the current salts that no
 * index vouches for are work not in the database).
 *
 * @param headerOk the file has a valid WAL header (false for an empty or foreign file)
 * @param pageSize from the header (0 when not ok)
 * @param checkpointSequence from the header
 * @param validFrames frames whose salts and checksums hold, committed or not
 * @param committedFrames frames up to and including the last commit frame
 * @param commits commit frames (transactions) among them
 * @param backfilledFrames frames the {@code -shm} says a checkpoint copied, -1 when it cannot say
 * @param uncheckpointedFrames committed frames not yet in the database
 * @param complete every frame was read; false when the time allowed ran out first, and then the
 *     counts are those of the frames read so far (lower bounds)
 */
public record WalFile(boolean headerOk, int pageSize, long checkpointSequence, long validFrames, long committedFrames,
                      long commits, long backfilledFrames, long uncheckpointedFrames, boolean complete) {
    static final int HEADER = 32;
    static final int FRAME_HEADER = 24;
    private static final int MAGIC_LE = 0x377f0682;
    private static final int MAGIC_BE = 0x377f0683;
    /** The wal-index header is two 48-byte copies, then the checkpoint info (nBackfill first). */
    private static final int SHM_HEADER = 48;
    private static final int SHM_NBACKFILL = 96;

    static final WalFile EMPTY = new WalFile(false, 0, 0, 0, 0, 0, -1, 0, true);
    /** Frames read between two looks at the clock. */
    private static final int CLOCK_EVERY = 256;

    /** Reads the {@code -wal} (and {@code -shm}, when readable) of {@code db}; EMPTY when there is no -wal. */
    public static WalFile read(Path db) throws IOException {
        return read(db, Long.MAX_VALUE);
    }

    /**
     * As {@link #read(Path)}, but stops walking the frames at {@code deadlineNanos}
     * ({@link System#nanoTime()}; a -wal of gigabytes takes seconds to check) and says so in
     * {@link #complete()}.
     */
    public static WalFile read(Path db, long deadlineNanos) throws IOException {
        Path wal = SqliteFiles.wal(db);
        byte[] header;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(wal), 1 << 20)) {
            header = in.readNBytes(HEADER);
            if (header.length < HEADER) {
                return EMPTY;
            }
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.BIG_ENDIAN);
            int magic = h.getInt(0);
            int pageSize = h.getInt(8);
            if ((magic != MAGIC_LE && magic != MAGIC_BE) || h.getInt(4) != 3007000 || !validPageSize(pageSize)) {
                return EMPTY;
            }
            ByteOrder cksumOrder = magic == MAGIC_BE ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            int[] sum = checksum(cksumOrder, header, 0, 24, 0, 0);
            if (sum[0] != h.getInt(24) || sum[1] != h.getInt(28)) {
                return EMPTY;
            }
            long checkpointSeq = Integer.toUnsignedLong(h.getInt(12));
            byte[] salts = Arrays.copyOfRange(header, 16, 24);
            byte[] frame = new byte[FRAME_HEADER + pageSize];
            long valid = 0;
            long committed = 0;
            long commits = 0;
            boolean complete = true;
            while (in.readNBytes(frame, 0, frame.length) == frame.length) {
                if (valid % CLOCK_EVERY == CLOCK_EVERY - 1 && System.nanoTime() - deadlineNanos > 0) {
                    complete = false;
                    break;
                }
                ByteBuffer f = ByteBuffer.wrap(frame).order(ByteOrder.BIG_ENDIAN);
                if (f.getInt(0) == 0 || !Arrays.equals(frame, 8, 16, salts, 0, 8)) {
                    break;
                }
                sum = checksum(cksumOrder, frame, 0, 8, sum[0], sum[1]);
                sum = checksum(cksumOrder, frame, FRAME_HEADER, frame.length, sum[0], sum[1]);
                if (sum[0] != f.getInt(16) || sum[1] != f.getInt(20)) {
                    break;
                }
                valid++;
                if (f.getInt(4) != 0) {
                    commits++;
                    committed = valid;
                }
            }
            long backfilled = backfilled(db, salts);
            long pending = backfilled < 0 ? committed : Math.max(0, committed - backfilled);
            return new WalFile(true, pageSize, checkpointSeq, valid, committed, commits, backfilled, pending, complete);
        } catch (NoSuchFileException e) {
            return EMPTY;
        }
    }

    /** nBackfill from the {@code -shm} when it describes this WAL generation, else -1. */
    static long backfilled(Path db, byte[] walSalts) {
        byte[] shm;
        try (InputStream in = Files.newInputStream(SqliteFiles.shm(db))) {
            shm = in.readNBytes(SHM_NBACKFILL + 4);
        } catch (IOException e) {
            return -1;
        }
        if (shm.length < SHM_NBACKFILL + 4 || !Arrays.equals(shm, 0, SHM_HEADER, shm, SHM_HEADER, 2 * SHM_HEADER)) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(shm).order(ByteOrder.nativeOrder());
        // iVersion 3007000 and isInit set: an index SQLite finished writing
        if (b.getInt(0) != 3007000 || shm[12] == 0 || !Arrays.equals(shm, 32, 40, walSalts, 0, 8)) {
            return -1;
        }
        long mxFrame = Integer.toUnsignedLong(b.getInt(16));
        long nBackfill = Integer.toUnsignedLong(b.getInt(SHM_NBACKFILL));
        return nBackfill <= mxFrame ? nBackfill : -1;
    }

    private static boolean validPageSize(int n) {
        return n >= 512 && n <= 65536 && (n & (n - 1)) == 0;
    }

    /** SQLite's WAL checksum over {@code from..to} (a multiple of 8 bytes), continuing from s0, s1. */
    static int[] checksum(ByteOrder order, byte[] data, int from, int to, int s0, int s1) {
        ByteBuffer b = ByteBuffer.wrap(data).order(order);
        for (int i = from; i < to; i += 8) {
            s0 += b.getInt(i) + s1;
            s1 += b.getInt(i + 4) + s0;
        }
        return new int[] {s0, s1};
    }
}
