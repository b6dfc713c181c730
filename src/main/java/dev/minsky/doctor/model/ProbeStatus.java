package dev.minsky.doctor.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** How one probe went: {@code probes[].status} of {@code doctor --json}; the JSON strings never change. */
public enum ProbeStatus {
    OK("ok"),
    FAILED("failed"),
    TIMEOUT("timeout"),
    SKIPPED("skipped");

    private final String json;

    ProbeStatus(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }

    /** The status with this JSON string, or null for one this minsky does not know. */
    public static ProbeStatus of(String json) {
        for (ProbeStatus s : values()) {
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
