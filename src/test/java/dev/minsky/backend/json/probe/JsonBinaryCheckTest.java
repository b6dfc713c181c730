package dev.minsky.backend.json.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code json.binary}, decoded through a small buffer, answers exactly as decoding the whole file at once. */
class JsonBinaryCheckTest {
    static boolean wholeDecodeFails(byte[] data) {
        for (byte b : data) {
            if (b == 0) {
                return true;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data));
            return false;
        } catch (CharacterCodingException e) {
            return true;
        }
    }

    @Test
    void the_buffered_check_agrees_with_a_whole_decode_across_buffer_boundaries() {
        String text = "[{\"session\":\"é-ü-✓-😀\"}]".repeat(2000); // multi-byte characters across every 8192-char boundary
        byte[] good = text.getBytes(StandardCharsets.UTF_8);
        List<byte[]> cases = new ArrayList<>();
        cases.add(good);
        cases.add(new byte[0]);
        cases.add(java.util.Arrays.copyOf(good, good.length - 1)); // ends inside the last character? (it ends in ASCII: still good)
        Random random = new Random(8);
        for (int i = 0; i < 60; i++) {
            byte[] b = good.clone();
            int at = random.nextInt(b.length);
            b[at] = (byte) (0x80 | random.nextInt(0x80)); // a stray continuation byte, or a broken sequence
            cases.add(b);
            cases.add(java.util.Arrays.copyOf(good, at)); // cut anywhere, also inside a character
        }
        int failing = 0;
        for (byte[] c : cases) {
            boolean expected = wholeDecodeFails(c);
            failing += expected ? 1 : 0;
            assertEquals(expected, JsonFileProbe.binary(c), "a case of " + c.length + " bytes");
        }
        // the cases include both answers
        assertEquals(true, failing > 10 && failing < cases.size() - 10, failing + " of " + cases.size());
    }
}
