package dev.minsky.store.support;

import dev.minsky.config.Settings;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.StoreProvider;
import dev.minsky.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A quick measurement, not a test: imports N sessions in one upsertAll into a fresh store and
 * times it, then one page of the list. Args: backend (json|sqlite|postgres), N, [connection string].
 * Prints figures; the benchmark script under bench/ is the real measurement.
 */
public final class BulkImportTiming {
    private BulkImportTiming() {}

    public static void main(String[] args) throws Exception {
        String backend = args[0];
        int n = Integer.parseInt(args[1]);
        Path dir = Files.createTempDirectory("minsky-timing-");
        Settings s = new Settings(backend, dir, dir, dir.resolve(Settings.JSON_FILE), dir.resolve(Settings.SQLITE_FILE),
                args.length > 2 ? args[2] : null, 4, 30000, 5000);
        List<SessionRecord> records = new ArrayList<>(n);
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            String name = "task-md#" + i;
            records.add(SessionRecord.create(name, "minsky", "https://github.com/edobry/minsky.git", t.plusSeconds(i))
                    .with("taskId", "md#" + i).with("branch", name).with("repoPath", dir.resolve("sessions").resolve(name).toString())
                    .with("backendType", "github"));
        }
        StoreProvider p = Stores.provider(s);
        p.init(s);
        long t0 = System.nanoTime();
        try (SessionStore store = p.open(s, true)) {
            store.upsertAll(records);
        }
        long importMs = (System.nanoTime() - t0) / 1_000_000;
        long t1 = System.nanoTime();
        int page;
        try (SessionStore store = p.open(s, false)) {
            page = store.list(new SessionQuery(null, 50, 0)).size();
        }
        long listMs = (System.nanoTime() - t1) / 1_000_000;
        System.out.printf("%s: import of %d sessions %d ms; list --limit 50 (%d rows, open included) %d ms%n", backend, n, importMs, page, listMs);
    }
}
