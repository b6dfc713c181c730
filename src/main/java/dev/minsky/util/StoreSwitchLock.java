package dev.minsky.util;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Keeps session writes out of a migration's copy, verify and backend switch (issue 13): a
 * {@code session start} that ran between {@code migrate to}'s verify and its config switch wrote to
 * the old store and was not in the new one, and one that ran during the copy made the verify fail.
 *
 * <p>Session commands that write hold {@code <state>/sessiondb-switch.lock} shared for the whole
 * command and read the configured backend only once they hold it; {@code migrate to} holds it
 * exclusively from before it reads the source until after the switch. A writer first passes
 * through {@code sessiondb-switch.gate} (held only for a moment, exclusively), which the migration
 * holds for its whole run too: writers that keep arriving cannot starve the migration (the kernel's
 * shared locks give no preference to a waiting exclusive one), they queue at the gate behind it.
 */
public final class StoreSwitchLock {
    public static final String FILE = "sessiondb-switch.lock";
    public static final String GATE = "sessiondb-switch.gate";
    /** A session write waits this long for a migration to finish: copying a big store on a busy machine. */
    static final Duration WRITER_WAIT = Duration.ofMinutes(10);
    /** A migration waits this long for the session writes under way (each one a single short command). */
    static final Duration SWITCH_WAIT = Duration.ofMinutes(5);

    private StoreSwitchLock() {}

    /** Held by a session command that writes, before it looks up which store to write to. */
    public static FileLocks.Held forWrite(Path stateDir) {
        if (!java.nio.file.Files.isDirectory(stateDir)) {
            return () -> {}; // no state directory, no migration: it writes its journal and locks there first
        }
        try {
            FileLocks.Held shared;
            try (FileLocks.Held gate = FileLocks.acquireQuietly(stateDir.resolve(GATE), WRITER_WAIT)) {
                shared = FileLocks.acquireShared(stateDir.resolve(FILE), WRITER_WAIT);
            }
            return shared;
        } catch (dev.minsky.MinskyException e) {
            if (e.getCause() instanceof java.io.IOException) {
                // a state directory this user cannot write: no migration can run there either (its journal and
                // admin lock live there), and the command's own error about the store says more than this one
                return () -> {};
            }
            throw e;
        }
    }

    /** Held by a migration from before it reads the source until after the config switch. */
    public static FileLocks.Held forSwitch(Path stateDir) {
        FileLocks.Held gate = FileLocks.acquire(stateDir.resolve(GATE), SWITCH_WAIT);
        try {
            FileLocks.Held exclusive = FileLocks.acquire(stateDir.resolve(FILE), SWITCH_WAIT);
            return () -> {
                try {
                    exclusive.close();
                } finally {
                    gate.close();
                }
            };
        } catch (RuntimeException e) {
            gate.close();
            throw e;
        }
    }
}
