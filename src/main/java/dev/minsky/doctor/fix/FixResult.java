package dev.minsky.doctor.fix;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a fix step ended: {@code result} of a step in {@code journal.json} and of
 * {@code fixes[]} in {@code doctor --json} (which never shows {@link #STARTED} or {@link #UNDONE}:
 * those are the journal's own). The JSON strings are a contract and never change.
 */
public enum FixResult {
    /** Recorded before the step changes anything; what a step killed half-way keeps. */
    STARTED("started"),
    APPLIED("applied"),
    SKIPPED("skipped"),
    FAILED("failed"),
    ROLLED_BACK("rolled-back"),
    /** Put back by {@code doctor --undo}. */
    UNDONE("undone");

    private final String json;

    FixResult(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }

    /** The result with this JSON string, or null for one this minsky does not know. */
    public static FixResult of(String json) {
        for (FixResult r : values()) {
            if (r.json.equals(json)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return json;
    }
}
