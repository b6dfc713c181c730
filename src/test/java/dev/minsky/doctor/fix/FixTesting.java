package dev.minsky.doctor.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What the fix tests share: running the doctor, reading its JSON, fingerprints of directories. */
final class FixTesting {
    private FixTesting() {}

    static JsonNode json(Cli.Result r) {
        try {
            return SessionJson.mapper().readTree(r.out());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r, e);
        }
    }

    static List<String> causes(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("findings").forEach(f -> out.add(f.path("cause").asText()));
        return out;
    }

    static List<JsonNode> applied(JsonNode report, String result) {
        List<JsonNode> out = new ArrayList<>();
        report.path("applied").forEach(a -> {
            if (result == null || result.equals(a.path("result").asText())) {
                out.add(a);
            }
        });
        return out;
    }

    /**
     * Every file and directory under the roots, with its mode and a hash of its content: equal
     * fingerprints mean not one byte (nor a mode, nor a name) changed.
     */
    static Map<String, String> fingerprint(Path... roots) {
        Map<String, String> out = new TreeMap<>();
        for (Path root : roots) {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                out.put(root.toString(), "absent");
                continue;
            }
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.toList()) {
                    if (p.getFileName().toString().endsWith("-shm")) {
                        // SQLite's shared-memory index: any reader rewrites it; it holds no data
                        out.put(p.toString(), "shm");
                        continue;
                    }
                    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                    String what = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                            ? "file " + Journal.sha256(Files.readAllBytes(p)) : Files.isDirectory(p) ? "dir" : "other";
                    out.put(p.toString(), what + " " + mode);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** The store's own files (db, sidecars) and the user config. */
    static Map<String, String> storeFingerprint(Path home) {
        Settings s = BrokenStates.settings(home);
        List<Path> paths = new ArrayList<>(StoreState.files(s));
        paths.add(home.resolve(".config/minsky/config.yaml"));
        return fingerprint(paths.toArray(Path[]::new));
    }

    /** An export of these records in the state's backups directory, as 'minsky doctor --fix' would have taken it. */
    static void writeBackup(BrokenStates.Built b, List<SessionRecord> records) {
        try {
            Path backups = b.stateDir().resolve("backups");
            Files.createDirectories(backups);
            Files.write(backups.resolve("sessions-20260101T000000Z.json"), SessionJson.write(records));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<SessionRecord> records(Path home) {
        return StoreState.readAll(BrokenStates.settings(home));
    }

    /** Each expected record is in the store with exactly the same content. */
    static void assertKept(Path home, List<SessionRecord> expected) {
        Map<String, SessionRecord> now = new TreeMap<>();
        records(home).forEach(r -> now.put(r.session(), r));
        for (SessionRecord r : expected) {
            assertEquals(r, now.get(r.session()), "session " + r.session() + " must be kept as it was");
        }
    }

    /** A backup named by an applied fix exists and is valid: an export that parses, or the journal's verified copies. */
    static void assertBackupValid(JsonNode fix) {
        for (JsonNode a : applied(fix, "applied")) {
            String b = a.path("backup").asText(null);
            if (b == null) {
                continue;
            }
            Path p = Path.of(b);
            if (b.endsWith(".json")) {
                try {
                    SessionJson.parse(Files.readAllBytes(p));
                } catch (IOException | SessionJson.FormatException e) {
                    throw new AssertionError("backup " + b + " does not parse", e);
                }
            } else {
                assertTrue(Files.isDirectory(p), "journal copies " + b);
                try (Stream<Path> s = Files.list(p)) {
                    assertTrue(s.findAny().isPresent(), "the journal holds copies in " + b);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
    /**
     * {@code doctor --fix --yes} on a broken state, then the checks every fix must pass: the cause
     * is gone, the sessions are kept, the backup is valid, a second fix finds nothing to do, and
     * {@code --undo} restores the store and config byte for byte. Returns the fix's JSON document.
     *
     * @param healthyAfter no other finding is left (some states carry a second, manual-only problem)
     * @param causeBack the cause is back after undo (not for backup.create: undo keeps the backups it took)
     */
    static JsonNode cycle(Path home, String cause, List<SessionRecord> mustKeep, int minSessions, boolean healthyAfter,
                            boolean causeBack) {
        Cli cli = new Cli(home);
        Map<String, String> before = storeFingerprint(home);
        Cli.Result r = cli.run("doctor", "--fix", "--yes", "--json");
        JsonNode fix = json(r);
        assertTrue(causes(fix).contains(cause), "diagnosed " + cause + ": " + r);
        assertFalse(applied(fix, "applied").isEmpty(), "something was applied: " + r);
        assertFalse(causes(fix.path("after")).contains(cause), "the cause is gone afterwards: " + r);
        if (healthyAfter) {
            assertEquals(0, r.code(), "healthy afterwards: " + r);
        }
        assertKept(home, mustKeep);
        assertTrue(records(home).size() >= minSessions, "at least " + minSessions + " sessions, found " + records(home).size());
        assertBackupValid(fix);

        Cli.Result second = cli.run("doctor", "--fix", "--yes", "--json");
        assertTrue(json(second).path("applied").isEmpty(), "a second fix finds nothing to do: " + second);
        if (healthyAfter) {
            assertEquals(0, second.code(), second.toString());
        }

        Cli.Result undo = cli.run("doctor", "--undo");
        assertEquals(0, undo.code(), undo.toString());
        assertEquals(before, storeFingerprint(home), "--undo restores the store and config as they were before the fix");
        Cli.Result again = cli.run("doctor", "--json");
        assertEquals(causeBack, causes(json(again)).contains(cause), "the cause is back after --undo: " + again);
        return fix;
    }

}
