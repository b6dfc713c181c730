package dev.minsky.doctor.fix;

import static dev.minsky.doctor.fix.FixTesting.applied;
import static dev.minsky.doctor.fix.FixTesting.causes;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code fs.chmod-owner} for real: the store belongs to the user {@code nobody} with mode 0000,
 * and minsky runs as nobody (root can read anything, so the damage only shows as another user).
 */
class PermissionFixTest {
    @RegisterExtension
    final NobodyHome nobody = new NobodyHome();

    private Processes.Output asNobody(String... args) throws Exception {
        return BrokenStates.runMinskyAs("nobody", nobody.home(), args);
    }

    @Test
    void a_store_the_user_owns_but_cannot_read_is_chmodded_and_undo_puts_the_mode_back() throws Exception {
        try (BrokenStates.Built b = BrokenStates.permissionDenied(nobody.home(), "json", true)) {
            assertEquals("0000", Paths2.octal(b.store()));
            Processes.Output r = asNobody("doctor", "--fix", "--yes", "--json");
            JsonNode fix = SessionJson.mapper().readTree(r.out());
            assertTrue(causes(fix).contains("json.permission-denied"), r.out());
            assertTrue(applied(fix, "applied").stream().anyMatch(a -> a.path("remediation").asText().equals("fs.chmod-owner")), r.out());
            assertFalse(causes(fix.path("after")).contains("json.permission-denied"), r.out());
            assertEquals("0600", Paths2.octal(b.store()), "only the owner's read and write were added");
            Processes.Output list = asNobody("session", "list", "--json");
            assertEquals(0, list.code());
            assertEquals(3, SessionJson.mapper().readTree(list.out()).size(), "every session is readable again");
            assertEquals(0, asNobody("doctor", "--undo").code());
            assertEquals("0000", Paths2.octal(b.store()));
        }
    }

    @Test
    void a_store_of_another_user_is_left_alone_and_the_manual_steps_shown() throws Exception {
        try (BrokenStates.Built b = BrokenStates.permissionDenied(nobody.home(), "json", false)) {
            Processes.Output r = asNobody("doctor", "--fix", "--yes");
            assertEquals(1, r.code(), r.out());
            assertTrue(r.out().contains("[manual] fs.permissions-manual"), r.out());
            assertEquals("0600", Paths2.octal(b.store()));
            assertEquals("root", Files.getOwner(b.store()).getName());
            assertFalse(Files.exists(nobody.home().resolve(".local/state/minsky/doctor")), "nothing was journaled: nothing changed");
        }
    }
}
