package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.backup.Backups;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.JavaProcess;
import dev.minsky.testutil.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a run initialises nothing it does not need. Checked on the classes a real JVM loads
 * ({@code -Xlog:class+load}) for the hot commands on a healthy SQLite store: no PostgreSQL driver, no
 * YAML parser, no FreeMarker, no Drools, and no jackson-databind {@code ObjectMapper} (the read path
 * writes with jackson-core alone). Not a timing: a class list, the same on a busy machine.
 */
class StartupLoadsOnlyWhatItNeedsTest {
    /** Class-name prefixes (as {@code -Xlog:class+load} prints them) that no run below may load. */
    private static final List<String> NOT_NEEDED = List.of("org.postgresql.", "org.yaml.snakeyaml.",
            "com.fasterxml.jackson.dataformat.yaml.", "freemarker.", "org.drools.", "org.kie.",
            "com.fasterxml.jackson.databind.ObjectMapper ");

    @TempDir
    Path home;

    @Test
    void session_get_and_list_on_sqlite_load_no_other_driver_parser_or_rule_engine() throws Exception {
        BrokenStates.healthySqlite(home, 3);
        String name = records().get(0).session();
        assertLoadsNothingUnneeded(run(0, "session", "get", name, "--json"), name);
        assertLoadsNothingUnneeded(run(0, "session", "list", "--limit", "50", "--json"), name);
    }

    @Test
    void a_doctor_on_a_healthy_sqlite_store_loads_no_rule_engine_yaml_templates_or_postgres_driver() throws Exception {
        BrokenStates.healthySqlite(home, 3);
        List<SessionRecord> records = records();
        Backups.write(BrokenStates.settings(home), records, Clock.systemUTC()); // a fresh backup: healthy
        Loaded doctor = run(0, "doctor", "--json");
        assertTrue(doctor.out().contains("\"healthy\" : true"), doctor.out());
        assertLoadsNothingUnneeded(doctor, "\"healthy\"");
    }

    private record Loaded(String out, List<String> classes) {}

    /** The records of the store under {@code home}, read through its backend. */
    private List<SessionRecord> records() {
        try (SessionStore s = Stores.open(BrokenStates.settings(home), false)) {
            return s.list(SessionQuery.ALL);
        }
    }

    private Loaded run(int code, String... args) throws Exception {
        Path log = Files.createTempFile(home, "class-load-", ".log");
        Map<String, String> env = new HashMap<>(new Cli(home).envMap());
        ProcessBuilder pb = JavaProcess.builder(List.of("-Xlog:class+load=info:file=" + log), dev.minsky.Main.class, env, args);
        pb.directory(home.toFile());
        Processes.Output o = Processes.run(pb, Duration.ofMinutes(2));
        assertEquals(code, o.code(), String.join(" ", args) + ": " + o.err());
        return new Loaded(o.out(), Files.readAllLines(log));
    }

    private static void assertLoadsNothingUnneeded(Loaded run, String expectedInOutput) {
        assertTrue(run.out().contains(expectedInOutput), run.out());
        assertTrue(run.classes().size() > 500, "the class-load log was written: " + run.classes().size() + " lines");
        List<String> unneeded = run.classes().stream()
                .filter(l -> NOT_NEEDED.stream().anyMatch(p -> l.contains("] " + p) || l.contains(" " + p)))
                .toList();
        assertTrue(unneeded.isEmpty(), "loaded what the run does not need:\n" + String.join("\n", unneeded.subList(0, Math.min(20, unneeded.size()))));
    }
}
