package dev.minsky.store.support;

import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A writer in its own process: inserts sessions one by one through the store API (each insert its
 * own lock or transaction) and reports "committed NAME" after each insert returns, on standard
 * output or, with a report file, straight into that file (one write(2) per line, so a line
 * survives a SIGKILL that comes after it, which a pipe the killer closes does not guarantee).
 * Args: backend, state dir, connection string or "-", name prefix, first index, count (-1 = forever), [report file].
 */
public final class StoreInserter {
    private StoreInserter() {}

    public static Settings settings(String backend, Path dir, String connectionString) {
        return new Settings(backend, dir, dir, dir.resolve(Settings.JSON_FILE), dir.resolve(Settings.SQLITE_FILE),
                connectionString, 4, 30000);
    }

    public static SessionRecord record(String name, int i) {
        return SessionRecord.create(name, "minsky", "https://github.com/edobry/minsky.git",
                        Instant.parse("2026-01-01T00:00:00Z").plusMillis(i))
                .with("taskId", "md#" + i).with("repoPath", "/tmp/ws/" + name).with("custom", "value-" + i);
    }

    public static void main(String[] args) {
        Settings s = settings(args[0], Path.of(args[1]), "-".equals(args[2]) ? null : args[2]);
        String prefix = args[3];
        int first = Integer.parseInt(args[4]);
        int count = Integer.parseInt(args[5]);
        java.io.OutputStream report = System.out;
        try (SessionStore store = Stores.provider(s).open(s, false)) {
            if (args.length > 6) {
                report = new java.io.FileOutputStream(args[6], true);
            }
            for (int i = first; count < 0 || i < first + count; i++) {
                String name = prefix + i;
                store.insert(record(name, i));
                report.write(("committed " + name + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                report.flush();
            }
        } catch (java.io.IOException e) {
            System.err.println("error: " + e);
            System.exit(4);
        } catch (MinskyException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(e.exitCode());
        }
    }
}
