package dev.minsky.doctor.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.backend.sqlite.SqliteFiles;
import dev.minsky.config.Settings;
import dev.minsky.testutil.BrokenStates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixer counts the sessions before and after every step (to prove that nothing was lost). On a
 * stale WAL those counts must read the committed frames of the {@code -wal} without checkpointing
 * them: the checkpoint is a journaled, backed-up step of its own, never a side effect of counting.
 * Built for real: a writer killed with SIGKILL leaves committed frames in the {@code -wal}.
 */
class FixerCountsChangeNothingTest {
    @TempDir
    Path home;

    @Test
    void counting_and_listing_a_stale_wal_store_reads_its_frames_and_changes_no_byte() throws Exception {
        BrokenStates.Built b = BrokenStates.staleWal(home, 4);
        Path db = b.store();
        Path wal = SqliteFiles.wal(db);
        assertTrue(Files.size(wal) > 0, "the killed writer left committed frames in the -wal");
        Map<String, String> before = FixTesting.storeFingerprint(home);

        Settings s = BrokenStates.settings(home);
        assertEquals(b.sessions(), StoreState.count(s), "the count includes the sessions that are only in the -wal");
        List<String> names = StoreState.names(s);
        assertEquals(b.sessions(), names.size(), String.valueOf(names));
        assertEquals(b.sessions(), StoreState.readAll(s).size());

        assertEquals(before, FixTesting.storeFingerprint(home),
                "counting changed the store's files (a checkpoint or a removed -wal is a step of its own)");
        assertTrue(Files.size(wal) > 0, "the -wal still holds its frames");
    }
}
