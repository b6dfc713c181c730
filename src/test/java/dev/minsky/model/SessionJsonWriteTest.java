package dev.minsky.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming writer produces exactly the document Jackson's tree writer did, byte for byte. */
class SessionJsonWriteTest {
    private static byte[] treeWritten(List<SessionRecord> records) throws Exception {
        ArrayNode arr = SessionJson.mapper().createArrayNode();
        records.forEach(r -> arr.add(r.toJson()));
        return SessionJson.mapper().writeValueAsBytes(arr);
    }

    @Test
    void the_document_is_byte_for_byte_what_the_tree_writer_wrote_and_reads_back_the_same() throws Exception {
        List<SessionRecord> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            SessionRecord r = SessionRecord.create("s-" + i, "minsky", "https://example.com/m.git", Instant.ofEpochSecond(1_700_000_000L + i))
                    .with("taskId", i % 3 == 0 ? null : "md#" + i).with("branch", "b\"quoted\" \u00fc " + i);
            ObjectNode extra = SessionJson.mapper().createObjectNode();
            extra.putArray("list").add(1).add("two").addObject().put("n", 3.5);
            extra.putNull("nothing");
            records.add(r.with("custom", extra));
        }
        for (List<SessionRecord> set : List.of(List.<SessionRecord>of(), records.subList(0, 1), records)) {
            byte[] written = SessionJson.write(set);
            assertArrayEquals(treeWritten(set), written, new String(written, java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(set, SessionJson.parse(written));
        }
    }
}
