package dev.minsky.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.model.SessionJson;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.NobodyHome;
import dev.minsky.testutil.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code minsky doctor} run for real as the user {@code nobody} (the tests run as root, who can
 * read anything), on stores that user may not read or write: the permission cause ranks first,
 * the run exits 1 without a stack trace, and nothing on disk changes.
 */
class DoctorAsNobodyEndToEndTest {
    @RegisterExtension
    final NobodyHome nobody = new NobodyHome();

    private static List<String> causes(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("findings").forEach(f -> out.add(f.path("cause").asText()));
        return out;
    }

    private JsonNode diagnoseAsNobody(Path store) throws Exception {
        long size = Files.size(store);
        String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(store));
        Processes.Output r = BrokenStates.runMinskyAs("nobody", nobody.home(), "doctor", "--json");
        assertEquals(1, r.code(), r.out() + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertEquals(size, Files.size(store), "the store was not touched");
        assertEquals(mode, java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        return SessionJson.mapper().readTree(r.out());
    }

    @Test
    void a_json_store_of_another_user_ranks_permission_denied_first() throws Exception {
        try (BrokenStates.Built b = BrokenStates.permissionDenied(nobody.home(), "json", false)) {
            JsonNode report = diagnoseAsNobody(b.store());
            assertEquals("json.permission-denied", causes(report).get(0), report.toString());
            assertEquals("EACCES", report.path("findings").get(0).path("code").asText(), report.toString());
        }
    }

    @Test
    void a_json_store_the_user_owns_with_mode_0000_ranks_permission_denied_first_with_a_safe_chmod() throws Exception {
        try (BrokenStates.Built b = BrokenStates.permissionDenied(nobody.home(), "json", true)) {
            JsonNode report = diagnoseAsNobody(b.store());
            JsonNode top = report.path("findings").get(0);
            assertEquals("json.permission-denied", top.path("cause").asText(), report.toString());
            boolean safeChmod = false;
            for (JsonNode rem : top.path("remediations")) {
                safeChmod |= rem.path("id").asText().equals("fs.chmod-owner") && rem.path("safety").asText().equals("safe");
            }
            assertTrue(safeChmod, top.toString());
        }
    }

    @Test
    void a_sqlite_store_of_another_user_ranks_readonly_permissions_first() throws Exception {
        try (BrokenStates.Built b = BrokenStates.permissionDenied(nobody.home(), "sqlite", false)) {
            JsonNode report = diagnoseAsNobody(b.store());
            assertEquals("sqlite.readonly-permissions", causes(report).get(0), report.toString());
        }
    }

    @Test
    void a_sqlite_store_in_a_directory_the_user_cannot_write_ranks_readonly_permissions_first() throws Exception {
        try (BrokenStates.Built b = BrokenStates.permissionDenied(nobody.home(), "sqlite", true)) {
            // the file is the user's and readable, but SQLite needs its directory for the journal
            new ProcessBuilder("chmod", "0600", b.store().toString()).start().waitFor();
            new ProcessBuilder("chown", "root:root", b.store().getParent().toString()).start().waitFor();
            new ProcessBuilder("chmod", "0755", b.store().getParent().toString()).start().waitFor();
            JsonNode report = diagnoseAsNobody(b.store());
            assertEquals("sqlite.readonly-permissions", causes(report).get(0), report.toString());
        }
    }
}
