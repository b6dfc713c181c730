package dev.minsky.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

/**
 * One session record, in Minsky's own field names. It is backed by the JSON object itself so that
 * fields this tool does not know survive every round trip untouched.
 */
public final class SessionRecord {
    /** Fields with their own column in the SQL backends, in schema order. */
    public static final List<String> KNOWN_FIELDS = List.of("session", "repoName", "repoUrl", "createdAt", "taskId",
            "branch", "repoPath", "prBranch", "prApproved", "prState", "backendType", "pullRequest");
    /** Fields whose values are JSON objects (stored as JSON text in SQLite). */
    public static final List<String> OBJECT_FIELDS = List.of("prState", "pullRequest");
    /** Set by {@code session end}; kept in the record, not a column of Minsky's schema. */
    public static final String ENDED_AT = "endedAt";

    private final ObjectNode node;

    private SessionRecord(ObjectNode node) {
        this.node = node;
    }

    /** Wraps a copy of the node; does not validate (see {@link #validate()}). */
    public static SessionRecord of(ObjectNode node) {
        return new SessionRecord(node.deepCopy());
    }

    /**
     * Wraps the node itself, for a parser whose tree nobody else holds: a 100,000-session store
     * would otherwise be in memory twice while it is read.
     */
    static SessionRecord adopt(ObjectNode node) {
        return new SessionRecord(node);
    }

    public static SessionRecord create(String session, String repoName, String repoUrl, Instant createdAt) {
        ObjectNode n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        n.put("session", session);
        n.put("repoName", repoName);
        n.put("repoUrl", repoUrl);
        n.put("createdAt", Timestamps.iso(createdAt));
        return new SessionRecord(n);
    }

    /** The node itself, for writing it out in this package; never to be changed. */
    ObjectNode node() {
        return node;
    }

    /** A copy of the underlying JSON object. */
    public ObjectNode toJson() {
        return node.deepCopy();
    }

    public String session() {
        return text("session");
    }

    public String repoName() {
        return text("repoName");
    }

    public String repoUrl() {
        return text("repoUrl");
    }

    public String createdAt() {
        return text("createdAt");
    }

    public String taskId() {
        return text("taskId");
    }

    public String branch() {
        return text("branch");
    }

    public String repoPath() {
        return text("repoPath");
    }

    public String endedAt() {
        return text(ENDED_AT);
    }

    public boolean ended() {
        return endedAt() != null;
    }

    /** createdAt as an instant, or null when absent or not ISO-8601. */
    public Instant createdInstant() {
        String c = createdAt();
        return c == null ? null : Timestamps.parse(c);
    }

    public String text(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public JsonNode field(String field) {
        JsonNode v = node.get(field);
        return v == null ? null : v.deepCopy();
    }

    /** A copy with the field set (null removes it). */
    public SessionRecord with(String field, String value) {
        ObjectNode n = node.deepCopy();
        if (value == null) {
            n.remove(field);
        } else {
            n.put(field, value);
        }
        return new SessionRecord(n);
    }

    public SessionRecord with(String field, JsonNode value) {
        ObjectNode n = node.deepCopy();
        if (value == null) {
            n.remove(field);
        } else {
            n.set(field, value);
        }
        return new SessionRecord(n);
    }

    /**
     * Marks a record the doctor rebuilt from a workspace directory (value: where from, e.g.
     * {@code "workspace"}). Such a record may hold an empty {@code repoName}/{@code repoUrl}: the
     * workspace did not tell them, and an empty string is the honest "not known".
     */
    public static final String REBUILT_FROM = "rebuiltFrom";
    private static final List<String> UNKNOWABLE = List.of("repoName", "repoUrl");

    /** Returns the first problem that makes this record unusable, or null when it is valid. */
    public String validate() {
        boolean rebuilt = node.hasNonNull(REBUILT_FROM);
        for (String f : List.of("session", "repoName", "repoUrl", "createdAt")) {
            JsonNode v = node.get(f);
            if (v == null || v.isNull()) {
                return "missing required field '" + f + "'";
            }
            if (rebuilt && v.isTextual() && v.asText().isEmpty() && UNKNOWABLE.contains(f)) {
                // a record rebuilt from a workspace says "not known" with an empty string, never a guess
                continue;
            }
            if (!v.isTextual() || v.asText().isBlank()) {
                return "field '" + f + "' must be a non-empty string";
            }
        }
        if (createdInstant() == null) {
            return "field 'createdAt' is not an ISO-8601 time: '" + createdAt() + "'";
        }
        JsonNode approved = node.get("prApproved");
        if (approved != null && !approved.isNull() && !approved.isBoolean()) {
            return "field 'prApproved' must be true or false";
        }
        for (String f : OBJECT_FIELDS) {
            JsonNode v = node.get(f);
            if (v != null && !v.isNull() && !v.isObject()) {
                return "field '" + f + "' must be an object";
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionRecord r && node.equals(r.node);
    }

    @Override
    public int hashCode() {
        return Objects.hash(node);
    }

    @Override
    public String toString() {
        return node.toString();
    }
}
