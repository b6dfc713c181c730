package dev.minsky.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares two sets of records by content, the way a user would: field order, null versus absent
 * and the spelling of the same instant in {@code createdAt} do not count as differences (a SQL
 * backend may not keep them); every other field, unknown ones included, must be equal.
 *
 * @param expected how many records were expected
 * @param actual how many records were found
 * @param missing names expected but not found
 * @param different names found with other contents
 * @param extra names found but not expected
 */
public record RecordComparison(int expected, int actual, List<String> missing, List<String> different, List<String> extra) {

    /** True when every expected record is present with equal contents (extra records are allowed). */
    public boolean allPresent() {
        return missing.isEmpty() && different.isEmpty();
    }

    /** True when both sides hold exactly the same records. */
    public boolean identical() {
        return allPresent() && extra.isEmpty() && expected == actual;
    }

    public static RecordComparison of(Collection<SessionRecord> expected, Collection<SessionRecord> actual) {
        Map<String, SessionRecord> found = new HashMap<>(actual.size() * 2);
        for (SessionRecord r : actual) {
            found.put(r.session(), r);
        }
        List<String> missing = new ArrayList<>();
        List<String> different = new ArrayList<>();
        for (SessionRecord r : expected) {
            SessionRecord f = found.remove(r.session());
            if (f == null) {
                missing.add(r.session());
            } else if (!sameContents(f, r)) {
                different.add(r.session());
            }
        }
        List<String> extra = new ArrayList<>(found.keySet());
        extra.sort(null);
        return new RecordComparison(expected.size(), actual.size(), missing, different, extra);
    }

    /**
     * Content digests by session name, in the order given: one side of a comparison in a few dozen
     * bytes a record, so that 100,000 records need not be held twice.
     */
    public static Map<String, ByteBuffer> digests(Collection<SessionRecord> records) {
        Map<String, ByteBuffer> out = new LinkedHashMap<>(records.size() * 2);
        for (SessionRecord r : records) {
            out.put(r.session(), digest(r));
        }
        return out;
    }

    /** The SHA-256 of the record's canonical JSON (sorted keys, no nulls, instants and numbers normalised). */
    public static ByteBuffer digest(SessionRecord r) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return ByteBuffer.wrap(md.digest(COMPACT.writeValueAsBytes(canonical(r))));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot digest a record", e);
        }
    }

    /** Like {@link #of(Collection, Collection)} with the expected side given as {@link #digests}. */
    public static RecordComparison of(Map<String, ByteBuffer> expected, Collection<SessionRecord> actual) {
        Map<String, SessionRecord> found = new HashMap<>(actual.size() * 2);
        for (SessionRecord r : actual) {
            found.put(r.session(), r);
        }
        List<String> missing = new ArrayList<>();
        List<String> different = new ArrayList<>();
        expected.forEach((name, d) -> {
            SessionRecord f = found.remove(name);
            if (f == null) {
                missing.add(name);
            } else if (!d.equals(digest(f))) {
                different.add(name);
            }
        });
        List<String> extra = new ArrayList<>(found.keySet());
        extra.sort(null);
        return new RecordComparison(expected.size(), actual.size(), missing, different, extra);
    }

    private static final ObjectWriter COMPACT = SessionJson.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);

    /** True when two records hold the same contents in the sense above. */
    public static boolean sameContents(SessionRecord a, SessionRecord b) {
        // equal JSON objects (field order aside) are the common case and need no normalising
        return a.equals(b) || canonical(a).equals(canonical(b));
    }

    static JsonNode canonical(SessionRecord r) {
        ObjectNode n = (ObjectNode) normalise(r.toJson());
        JsonNode created = n.get("createdAt");
        if (created != null && created.isTextual()) {
            Instant i = r.createdInstant();
            if (i != null) {
                n.put("createdAt", i.toString());
            }
        }
        return n;
    }

    /** Sorted keys, nulls dropped, numbers compared by value. */
    private static JsonNode normalise(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    sorted.put(e.getKey(), normalise(e.getValue()));
                }
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            node.forEach(el -> out.add(normalise(el)));
            return out;
        }
        if (node.isNumber()) {
            return JsonNodeFactory.instance.numberNode(node.decimalValue().stripTrailingZeros());
        }
        return node;
    }

    /** One line for people, e.g. "3 of 3 sessions identical". */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(expected - missing.size() - different.size()).append(" of ").append(expected).append(" sessions identical");
        if (!missing.isEmpty()) {
            sb.append("; missing: ").append(names(missing));
        }
        if (!different.isEmpty()) {
            sb.append("; different: ").append(names(different));
        }
        if (!extra.isEmpty()) {
            sb.append("; ").append(extra.size()).append(" other session").append(extra.size() == 1 ? "" : "s")
                    .append(" only in the target: ").append(names(extra));
        }
        return sb.toString();
    }

    static String names(List<String> names) {
        int shown = Math.min(10, names.size());
        String s = String.join(", ", names.subList(0, shown));
        return names.size() > shown ? s + ", … (" + names.size() + " in all)" : s;
    }
}
