package dev.minsky.doctor.fix;

import com.fasterxml.jackson.annotation.JsonValue;

/** The {@code state} of a fix journal ({@code journal.json}); the JSON strings never change. */
public enum JournalState {
    /** Written by {@code doctor --fix}; its applied steps can be undone. */
    OPEN("open"),
    /** {@code doctor --undo} put its steps back. */
    UNDONE("undone");

    private final String json;

    JournalState(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }

    /** The state with this JSON string, or null for one this minsky does not know. */
    public static JournalState of(String json) {
        for (JournalState s : values()) {
            if (s.json.equals(json)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return json;
    }
}
