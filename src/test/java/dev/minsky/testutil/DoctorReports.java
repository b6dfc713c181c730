package dev.minsky.testutil;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading a {@code doctor --json} document (product.md) in tests. */
public final class DoctorReports {
    private DoctorReports() {}

    /** The value of the fact {@code id} in the report's {@code facts}, or null when no probe emitted it. */
    public static JsonNode fact(JsonNode report, String id) {
        for (JsonNode f : report.get("facts")) {
            if (f.get("id").asText().equals(id)) {
                return f.get("value");
            }
        }
        return null;
    }
}
