package dev.minsky.doctor.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minsky.testutil.BrokenStates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A store the user cannot read, looked at as {@code nobody} in a JVM of its own (we run as root). */
class PermissionProbesTest {
    Path dir;

    @BeforeEach
    void dir() throws Exception {
        dir = BrokenStates.nobodyReachableDir();
    }

    @AfterEach
    void clean() throws Exception {
        new ProcessBuilder("chown", "-R", "root:root", dir.toString()).start().waitFor();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @ParameterizedTest
    @CsvSource({"json,true", "json,false", "sqlite,true", "sqlite,false"})
    void a_store_the_user_cannot_read(String backend, boolean userOwnsIt) throws Exception {
        Path home = dir.resolve("home");
        try (BrokenStates.Built b = BrokenStates.permissionDenied(home, backend, userOwnsIt)) {
            JsonNode f = new ObjectMapper().readTree(BrokenStates.runProbesAs("nobody", home)).get("facts");
            assertEquals(false, f.path("user.isRoot").asBoolean(true), f.toString());
            assertEquals(true, f.path("store.exists").asBoolean(), f.toString());
            assertEquals(false, f.path("store.readable").asBoolean(true), f.toString());
            assertEquals(false, f.path("store.writable").asBoolean(true));
            assertEquals(userOwnsIt, f.path("store.ownedByUser").asBoolean(!userOwnsIt));
            assertEquals(userOwnsIt ? "0000" : "0600", f.path("store.mode").asText());
            assertEquals(true, f.path("store.dir.writable").asBoolean(), "the directory is the user's own");
            assertEquals(false, f.path("store.openSafe").asBoolean(true));
            if (backend.equals("sqlite")) {
                assertEquals(false, f.path("sqlite.open.ok").asBoolean(true), f.toString());
                assertEquals("SQLITE_CANTOPEN", f.path("sqlite.open.errorCode").asText().substring(0, 15), f.toString());
            }
        }
    }
}
