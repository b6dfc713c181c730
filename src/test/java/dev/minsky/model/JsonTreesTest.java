package dev.minsky.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonTrees} writes every tree byte for byte as the ObjectMapper that wrote them before it
 * (issue 12: session get/list and the SQLite store write JSON without building a mapper).
 */
class JsonTreesTest {
    /** The mapper as SessionJson made it before JsonTrees: the reference, made here, not shared. */
    private static final ObjectMapper OLD = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectWriter OLD_COMPACT = OLD.writer().without(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final String[] TEXTS = {"", "plain", "quote \" and backslash \\ and slash /", "ü é ß 中文 русский",
        "emoji \uD83D\uDE00 pair", "controls \u0000 \u0001 \u001f \b \f \n \r \t", "line sep \u2028 \u2029",
        "</script> & <b>", "\u007f del", "trailing space ", "-", "   "};

    private static ObjectNode varied() {
        ObjectNode n = F.objectNode();
        for (int i = 0; i < TEXTS.length; i++) {
            n.put("t" + i, TEXTS[i]);
            n.put(TEXTS[i] + " as key " + i, i);
        }
        n.putNull("nothing");
        n.set("nullNode", F.nullNode());
        n.put("yes", true).put("no", false);
        n.put("int", Integer.MIN_VALUE).put("long", Long.MAX_VALUE).put("short", (short) -7);
        n.put("big", new BigInteger("123456789012345678901234567890"));
        n.put("double", 3.5).put("tiny", 1e-300).put("huge", 1.7976931348623157e308).put("negZero", -0.0).put("tenth", 0.1);
        n.put("nan", Double.NaN).put("inf", Double.POSITIVE_INFINITY).put("float", 1.1f);
        n.put("decimal", new BigDecimal("1E+3")).put("decimal2", new BigDecimal("0.000001")).put("decimal3", new BigDecimal("-12.50"));
        n.put("binary", new byte[] {0, 1, 2, (byte) 0xff, 'a', 'b', 'c', 'd'});
        n.putObject("empty");
        n.putArray("emptyArray");
        ArrayNode a = n.putArray("array");
        a.add(1).add("two").addNull().add(false).add(2.25).addObject().put("k", "v").putArray("inner").addArray();
        a.addArray().add(F.objectNode());
        n.putObject("nested").putObject("deeper").putObject("deepest").put("session", "task-042").putNull("taskId");
        return n;
    }

    private static void assertSameBytes(JsonNode n) throws Exception {
        assertEquals(OLD.writeValueAsString(n), JsonTrees.pretty(n));
        assertEquals(OLD_COMPACT.writeValueAsString(n), JsonTrees.compact(n));
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        try (var g = OLD.writerWithDefaultPrettyPrinter().createGenerator(old)) {
            g.writeTree(n);
        }
        ByteArrayOutputStream now = new ByteArrayOutputStream();
        try (var g = JsonTrees.prettyGenerator(now)) {
            JsonTrees.write(g, n);
        }
        assertArrayEquals(old.toByteArray(), now.toByteArray(), now.toString(StandardCharsets.UTF_8));
    }

    @Test
    void every_kind_of_node_is_written_as_the_mapper_wrote_it() throws Exception {
        ObjectNode n = varied();
        assertSameBytes(n);
        for (var it = n.fields(); it.hasNext(); ) {
            assertSameBytes(it.next().getValue()); // each value alone, as a document of its own
        }
        assertSameBytes(F.objectNode());
        assertSameBytes(F.arrayNode());
        assertSameBytes(F.pojoNode(List.of("a", 1))); // left to the mapper
    }

    @Test
    void random_trees_are_written_as_the_mapper_wrote_them() throws Exception {
        Random rnd = new Random(12);
        for (int i = 0; i < 300; i++) {
            assertSameBytes(random(rnd, 0));
        }
    }

    private static JsonNode random(Random rnd, int depth) {
        int kind = rnd.nextInt(depth > 4 ? 7 : 9);
        return switch (kind) {
            case 0 -> F.textNode(TEXTS[rnd.nextInt(TEXTS.length)] + (char) rnd.nextInt(0x3000));
            case 1 -> F.numberNode(rnd.nextInt());
            case 2 -> F.numberNode(rnd.nextLong());
            case 3 -> F.numberNode(rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20));
            case 4 -> F.booleanNode(rnd.nextBoolean());
            case 5 -> F.nullNode();
            case 6 -> F.numberNode(new BigDecimal(BigInteger.valueOf(rnd.nextLong()), rnd.nextInt(20) - 10));
            case 7 -> {
                ArrayNode a = F.arrayNode();
                for (int k = rnd.nextInt(5); k > 0; k--) {
                    a.add(random(rnd, depth + 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = F.objectNode();
                for (int k = rnd.nextInt(6); k > 0; k--) {
                    o.set(TEXTS[rnd.nextInt(TEXTS.length)] + k, random(rnd, depth + 1));
                }
                yield o;
            }
        };
    }

    /** The same tree, node classes included (IntNode is not LongNode), or the same failure. */
    private static void assertReadAlike(String text) throws Exception {
        JsonNode old;
        try {
            old = OLD.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            org.junit.jupiter.api.Assertions.assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
                    () -> JsonTrees.read(text), text);
            return;
        }
        JsonNode now = JsonTrees.read(text);
        assertEquals(old, now, text);
        assertEquals(OLD.writeValueAsString(old), OLD.writeValueAsString(now), text);
        assertEquals(classes(old), classes(now), text);
    }

    private static String classes(JsonNode n) {
        StringBuilder sb = new StringBuilder(n.getClass().getSimpleName());
        if (n.isContainerNode()) {
            sb.append('[');
            for (var it = n.fields(); it.hasNext(); ) {
                var e = it.next();
                sb.append(e.getKey()).append('=').append(classes(e.getValue())).append(',');
            }
            if (n.isArray()) {
                n.forEach(c -> sb.append(classes(c)).append(','));
            }
            sb.append(']');
        }
        return sb.toString();
    }

    @Test
    void a_text_is_read_into_the_tree_the_mapper_read_and_bad_text_fails_alike() throws Exception {
        List<String> docs = new ArrayList<>(List.of("", "   ", "null", "true", "false", "0", "-1", "2147483647", "2147483648",
                "-2147483649", "9223372036854775807", "9223372036854775808", "123456789012345678901234567890", "1.5", "-0.0",
                "1e3", "1E-400", "1e400", "0.1", "3.141592653589793238462643383279", "\"text \\u00fc \\uD83D\\uDE00\"",
                "{}", "[]", "[[]]", "{\"a\":{}}", "{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":[1,{\"b\":null}],\"a\":{\"x\":1}}",
                "{\"k\":\"v\"} trailing", "[1,2] ]", "{\"a\":1}}", "123abc", "{", "[1,", "{\"a\":}", "{'a':1}", "[1 2]",
                "NaN", "{\"a\":NaN}", "[01]", "\"unterminated", "{\"a\":1,}", "[1,]", "tru", "{\"pr\": {\"number\": 42, \"url\": \"https://x/y\", \"merged\": false, \"score\": 0.75}}",
                "\"\\u0000\"", "[\"\\ud800\"]", "{\"\":\"empty key\"}", "[" + "[".repeat(50) + "]".repeat(50) + "]"));
        Random rnd = new Random(7);
        for (int i = 0; i < 200; i++) {
            docs.add(OLD_COMPACT.writeValueAsString(random(rnd, 0)));
            docs.add(OLD.writeValueAsString(random(rnd, 0)));
        }
        for (String d : docs) {
            assertReadAlike(d);
        }
    }

    @Test
    void an_export_of_varied_records_is_what_the_mapper_wrote() throws Exception {
        List<SessionRecord> records = new ArrayList<>();
        for (int i = 0; i < TEXTS.length; i++) {
            records.add(SessionRecord.create("s-" + i + TEXTS[i], "repo " + TEXTS[(i + 1) % TEXTS.length], "https://example.com/r.git",
                    Instant.ofEpochSecond(1_700_000_000L + i)).with("taskId", i % 2 == 0 ? null : TEXTS[i])
                    .with("prApproved", F.booleanNode(i % 3 == 0)).with("pullRequest", i % 4 == 0 ? F.nullNode() : varied())
                    .with("extra", random(new Random(i), 0)));
        }
        ArrayNode arr = OLD.createArrayNode();
        records.forEach(r -> arr.add(r.toJson()));
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        try (var g = OLD.writerWithDefaultPrettyPrinter().createGenerator(old)) {
            g.writeStartArray();
            for (SessionRecord r : records) {
                g.writeTree(r.toJson());
            }
            g.writeEndArray();
        }
        assertArrayEquals(old.toByteArray(), SessionJson.write(records));
        assertArrayEquals(OLD.writeValueAsBytes(arr), SessionJson.write(records));
    }
}
