package dev.minsky.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SQL stores' workspace census (usual repoPaths counted in SQL, listed names looked up by key,
 * only the other records streamed) gives what a full pass over every record gives, on real
 * SQLite and PostgreSQL stores holding every shape of repoPath; and the doctor's facts are the same
 * on each backend for the same records.
 */
class WorkspaceCensusTest {
    @TempDir
    Path home;

    /** Mixed-case names, so that a locale collation would order them differently from Java. */
    static final List<String> THERE = List.of("a-there", "B-there", "c-there");
    static final List<String> GONE = List.of("Zeta-gone", "alpha-gone", "Beta-gone", "beta-gone", "b-gone", "_x-gone", "Ä-gone");

    /** Every shape of record; the workspaces root is {@code root}. */
    static List<SessionRecord> records(Path root, Path elsewhere) {
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        List<SessionRecord> out = new ArrayList<>();
        for (String n : THERE) {
            out.add(SessionRecord.create(n, "minsky", "https://example.com/m.git", t).with("repoPath", root.resolve(n).toString()));
        }
        for (String n : GONE) {
            out.add(SessionRecord.create(n, "minsky", "https://example.com/m.git", t).with("repoPath", root.resolve(n).toString()));
        }
        out.add(SessionRecord.create("no-path", "minsky", "https://example.com/m.git", t));
        // under the root but not its own name: the listing or a stat decides
        out.add(SessionRecord.create("borrowed", "minsky", "https://example.com/m.git", t).with("repoPath", root.resolve("a-there").toString()));
        out.add(SessionRecord.create("borrowed-gone", "minsky", "https://example.com/m.git", t).with("repoPath", root.resolve("nobody").toString()));
        out.add(SessionRecord.create("nested", "minsky", "https://example.com/m.git", t).with("repoPath", root.resolve("c-there/sub").toString()));
        out.add(SessionRecord.create("nested-gone", "minsky", "https://example.com/m.git", t).with("repoPath", root.resolve("c-there/none").toString()));
        out.add(SessionRecord.create("doubled", "minsky", "https://example.com/m.git", t).with("repoPath", root + "//doubled"));
        out.add(SessionRecord.create("dotted", "minsky", "https://example.com/m.git", t).with("repoPath", root + "/x/../dotted"));
        out.add(SessionRecord.create("outside", "minsky", "https://example.com/m.git", t).with("repoPath", elsewhere.resolve("outside").toString()));
        out.add(SessionRecord.create("the-root", "minsky", "https://example.com/m.git", t).with("repoPath", root + "/"));
        // a workspace that is a file: it exists
        out.add(SessionRecord.create("file-ws", "minsky", "https://example.com/m.git", t).with("repoPath", root.resolve("file-ws").toString()));
        return out;
    }

    /** The workspaces: the THERE directories, a nested one, a file, and orphans (no record of their name). */
    static Map<String, Boolean> workspaces(Path root) throws Exception {
        for (String n : THERE) {
            Files.createDirectories(root.resolve(n));
        }
        Files.createDirectories(root.resolve("c-there/sub"));
        Files.writeString(root.resolve("file-ws"), "not a directory");
        Files.createDirectories(root.resolve("orphan-1"));
        Files.createDirectories(root.resolve("Orphan-2"));
        Files.createSymbolicLink(root.resolve("dangling"), root.resolve("nowhere"));
        Map<String, Boolean> listing = new HashMap<>();
        try (var s = Files.list(root)) {
            s.forEach(p -> listing.put(p.getFileName().toString(), Files.exists(p)));
        }
        return listing;
    }

    static BiPredicate<String, String> gone(Path root) {
        return (name, repoPath) -> {
            Path p = Path.of(repoPath).toAbsolutePath().normalize();
            return p.startsWith(root) && !p.equals(root) && !Files.exists(p);
        };
    }

    void check(String backend) throws Exception {
        Map<String, String> cfg = new TreeMap<>(Map.of("backend", backend));
        if (backend.equals("postgres")) {
            cfg.put("connectionString", PostgresServer.shared().newDatabase("wscensus"));
        }
        BrokenStates.config(home, cfg);
        Path root = BrokenStates.settings(home).workspacesDir().toAbsolutePath().normalize();
        Files.createDirectories(root);
        List<SessionRecord> records = records(root, home.resolve("elsewhere"));
        BrokenStates.fill(home, records);
        Map<String, Boolean> listing = workspaces(root);
        String prefix = root + "/";
        for (int keep : new int[] {20, 3}) {
            WorkspaceCensus.Tally full = new WorkspaceCensus.Tally(prefix, listing, gone(root), keep);
            WorkspaceCensus counted;
            try (SessionStore s = Stores.open(BrokenStates.settings(home), false)) {
                for (SessionRecord r : s.list(SessionQuery.ALL)) {
                    full.record(r.session(), r.repoPath());
                }
                counted = s.workspaceCensus(new WorkspaceCensus.Tally(prefix, listing, gone(root), keep));
            }
            WorkspaceCensus expected = full.result();
            String why = backend + " keep " + keep + ": " + counted;
            assertEquals(expected.missing(), counted.missing(), why);
            assertEquals(expected.missingNames(), counted.missingNames(), why);
            assertEquals(expected.withRecord(), counted.withRecord(), why);
            // by hand: the GONE ones, borrowed-gone, nested-gone, doubled and dotted (their paths are not there)
            assertEquals(GONE.size() + 4, counted.missing(), why);
            List<String> names = new ArrayList<>(GONE);
            names.addAll(List.of("borrowed-gone", "nested-gone", "doubled", "dotted"));
            names.sort(null);
            assertEquals(names.subList(0, Math.min(keep, names.size())), counted.missingNames(), why);
            assertEquals(java.util.Set.of("a-there", "B-there", "c-there", "file-ws"), counted.withRecord(), why);
            if (!backend.equals("json")) {
                // the records of the usual form were counted, not handed over one by one
                assertTrue(counted.streamed() <= records.size() - THERE.size() - GONE.size(), why + " streamed " + counted.streamed());
            }
        }
    }

    @Test
    void sqlite_counts_workspaces_in_sql_as_a_full_pass_would() throws Exception {
        check("sqlite");
    }

    @Test
    void postgres_counts_workspaces_in_sql_as_a_full_pass_would() throws Exception {
        check("postgres");
    }

    @Test
    void json_counts_workspaces_in_one_pass() throws Exception {
        check("json");
    }

    static Map<String, Object> workspaceFacts(JsonNode doc) {
        Map<String, Object> out = new TreeMap<>();
        for (JsonNode f : doc.get("facts")) {
            String id = f.get("id").asText();
            if (id.startsWith("workspaces.") || id.equals("sessions.count")) {
                out.put(id, f.get("value").asText());
            }
        }
        return out;
    }

    /** The doctor's own facts: the same on SQLite (counted in SQL) as on JSON (one pass over every record). */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void the_doctor_reports_the_same_workspace_facts_as_on_a_json_store(String backend) throws Exception {
        Map<String, Map<String, Object>> facts = new TreeMap<>();
        for (String b : List.of("json", backend)) {
            Path h = home.resolve(b);
            Map<String, String> cfg = new TreeMap<>(Map.of("backend", b));
            if (b.equals("postgres")) {
                cfg.put("connectionString", PostgresServer.shared().newDatabase("wsdoctor"));
            }
            BrokenStates.config(h, cfg);
            Path root = BrokenStates.settings(h).workspacesDir().toAbsolutePath().normalize();
            Files.createDirectories(root);
            BrokenStates.fill(h, records(root, h.resolve("elsewhere")));
            workspaces(root);
            Cli.Result r = new Cli(h).run("doctor", "--json", "--timeout", "120s");
            JsonNode doc = SessionJson.mapper().readTree(r.out());
            Map<String, Object> f = workspaceFacts(doc);
            facts.put(b, f);
            assertEquals(String.valueOf(GONE.size() + 4), f.get("workspaces.missing"), b + " " + r);
            assertEquals("2", f.get("workspaces.orphaned"), b + " " + r);
        }
        // the paths differ by the home directory only: compare with it taken out
        assertEquals(String.valueOf(facts.get("json")), String.valueOf(facts.get(backend)));
    }
}
