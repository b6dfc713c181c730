package dev.minsky.model;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON trees written with jackson-core's generator alone, byte for byte as {@link SessionJson#mapper()}
 * writes them. Building an {@code ObjectMapper} (its serializer and deserializer factories, type
 * factory, and a {@code Calendar} with the locale's date symbols for its date format) is a good part
 * of what a {@code session get} or {@code session list} costs beyond starting the JVM (issue 12),
 * and reading a store and printing its records needs none of it. A node this writer does not know
 * (a POJO node) is handed to the mapper. {@link #read} reads a JSON text into the tree the
 * mapper's {@code readTree} makes of it.
 */
public final class JsonTrees {
    /** jackson-core's factory with its defaults, which are the mapper's: parsers and generators only. */
    public static final JsonFactory FACTORY = new JsonFactory();
    /** The node factory the mapper uses by default. */
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {}

    /** A generator on {@code out} (UTF-8), pretty-printed as the mapper's {@code INDENT_OUTPUT}; {@code out} is left open. */
    public static JsonGenerator prettyGenerator(OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setPrettyPrinter(new DefaultPrettyPrinter());
        return g;
    }

    /** The node as {@code mapper().writeValueAsString(node)} writes it: pretty-printed. */
    public static String pretty(JsonNode node) {
        return text(node, true);
    }

    /** The node as the mapper writes it without {@code INDENT_OUTPUT}: on one line. */
    public static String compact(JsonNode node) {
        return text(node, false);
    }

    private static String text(JsonNode node, boolean pretty) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            if (pretty) {
                g.setPrettyPrinter(new DefaultPrettyPrinter());
            }
            write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** Signals a number only the mapper knows how to read. */
    private static final class MapperNeeded extends RuntimeException {
        MapperNeeded() {
            super(null, null, false, false);
        }
    }

    /**
     * The tree of a JSON text as {@code mapper().readTree(text)} makes it: a missing node for an
     * empty text, the first value of the text (what follows it is not read, as the mapper's
     * default), the last of repeated names in the first one's place, ints, longs and big integers
     * by size, other numbers as doubles; the parser's errors (and limits) are the mapper's.
     */
    public static JsonNode read(String text) throws JsonProcessingException {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            return t == null ? NODES.missingNode() : value(p, t);
        } catch (MapperNeeded e) {
            return SessionJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a string", e); // a String source does not fail
        }
    }

    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    o.replace(name, value(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken c = p.nextToken(); c != JsonToken.END_ARRAY; c = p.nextToken()) {
                    a.add(value(p, c));
                }
                return a;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                if (p.getNumberTypeFP() == JsonParser.NumberTypeFP.BIG_DECIMAL) {
                    throw new MapperNeeded();
                }
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new MapperNeeded(); // an embedded object: not in JSON text
        }
    }

    /** Writes the node with {@code g}, as the mapper's {@code writeTree} would. */
    public static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject(n);
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray(n, n.size());
                for (JsonNode c : n) {
                    write(g, c);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL -> g.writeNull();
            case NUMBER -> {
                switch (n.numberType()) {
                    case INT -> g.writeNumber(n.intValue());
                    case LONG -> g.writeNumber(n.longValue());
                    case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
                    case FLOAT -> g.writeNumber(n.floatValue());
                    case DOUBLE -> g.writeNumber(n.doubleValue());
                    case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
                    default -> SessionJson.mapper().writeTree(g, n);
                }
            }
            case BINARY -> {
                byte[] b = n.binaryValue();
                g.writeBinary(Base64Variants.getDefaultVariant(), b, 0, b.length);
            }
            default -> SessionJson.mapper().writeTree(g, n); // POJO, MISSING: the mapper's own rules
        }
    }
}
