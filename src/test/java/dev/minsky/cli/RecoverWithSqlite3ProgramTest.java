package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.doctor.fix.StoreState;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.JavaProcess;
import dev.minsky.testutil.Processes;
import dev.minsky.testutil.RecoverCapableSqlite3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repairing a damaged SQLite store through the {@code sqlite3} program's {@code .recover}, the
 * way it goes wherever that program can do it, against the same damage repaired where it cannot
 * (the row-by-row salvage through the driver).
 */
class RecoverWithSqlite3ProgramTest {
    @TempDir
    Path tmp;

    private static Processes.Output minsky(Path home, String path, String... args) throws Exception {
        return Processes.run(JavaProcess.minsky(Map.of("HOME", home.toString(), "PATH", path), args), Duration.ofSeconds(120));
    }

    /** 400 sessions, then one page in the middle of the table overwritten with garbage. */
    private Map<String, SessionRecord> damaged(Path home) throws Exception {
        BrokenStates.Built b = BrokenStates.healthySqlite(home, 400);
        Map<String, SessionRecord> byName = new HashMap<>();
        readAll(home).forEach(r -> byName.put(r.session(), r));
        BrokenStates.garbagePageInTheMiddle(b.store());
        return byName;
    }

    private static List<SessionRecord> readAll(Path home) {
        return StoreState.readAll(BrokenStates.settings(home));
    }

    private static long identical(Path home, Map<String, SessionRecord> before) {
        List<SessionRecord> now = readAll(home);
        return now.stream().filter(r -> r.equals(before.get(r.session()))).count();
    }

    @Test
    void repair_uses_sqlite3_recover_where_it_works_and_keeps_at_least_what_the_row_salvage_keeps() throws Exception {
        String withRecover = RecoverCapableSqlite3.dir() + ":/usr/bin:/bin";
        String withoutSqlite3 = tmp.resolve("empty-bin") + ":" + Path.of(System.getProperty("java.home"), "bin");
        Files.createDirectories(tmp.resolve("empty-bin"));

        Path a = Files.createDirectories(tmp.resolve("a"));
        Map<String, SessionRecord> beforeA = damaged(a);
        Processes.Output viaRecover = minsky(a, withRecover, "sessiondb", "repair", "--backend", "sqlite", "--auto-recover");
        assertEquals(0, viaRecover.code(), viaRecover.out() + viaRecover.err());
        assertTrue((viaRecover.out() + viaRecover.err()).contains("sqlite3 .recover"), viaRecover.out() + viaRecover.err());
        long recovered = identical(a, beforeA);

        Path b = Files.createDirectories(tmp.resolve("b"));
        Map<String, SessionRecord> beforeB = damaged(b);
        Processes.Output viaSalvage = minsky(b, withoutSqlite3, "sessiondb", "repair", "--backend", "sqlite", "--auto-recover");
        assertEquals(0, viaSalvage.code(), viaSalvage.out() + viaSalvage.err());
        assertTrue(!(viaSalvage.out() + viaSalvage.err()).contains("sqlite3 .recover"), viaSalvage.out());
        long salvaged = identical(b, beforeB);

        System.out.println("repair of one garbage page in 400 sessions: .recover kept " + recovered + ", row salvage kept " + salvaged);
        assertTrue(recovered >= 300, "most sessions come back exactly through .recover: " + recovered);
        assertTrue(recovered >= salvaged, ".recover keeps at least what the row salvage keeps: " + recovered + " vs " + salvaged);
        try (Stream<Path> s = Files.list(a.resolve(".local/state/minsky"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("sessions.db.corrupt-")), "the original is kept");
        }
    }

    @Test
    void doctor_fix_recovers_through_sqlite3_recover_and_the_cause_is_gone() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Map<String, SessionRecord> before = damaged(home);
        Processes.Output fix = minsky(home, RecoverCapableSqlite3.dir() + ":/usr/bin:/bin", "doctor", "--fix", "--yes", "--json");
        JsonNode doc = SessionJson.mapper().readTree(fix.out());
        boolean viaRecover = false;
        for (JsonNode a : doc.path("applied")) {
            viaRecover |= a.path("remediation").asText().equals("sqlite.recover") && a.path("result").asText().equals("applied")
                    && a.path("detail").asText().contains("sqlite3 .recover");
        }
        assertTrue(viaRecover, fix.out());
        for (JsonNode f : doc.path("after").path("findings")) {
            assertTrue(!f.path("cause").asText().equals("sqlite.corrupt"), fix.out());
        }
        assertTrue(identical(home, before) >= 300, fix.out());
    }
}
