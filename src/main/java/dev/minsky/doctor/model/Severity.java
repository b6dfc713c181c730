package dev.minsky.doctor.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How bad a finding is. {@code healthy} is false when any finding is an error or a warning. */
public enum Severity {
    ERROR, WARNING, INFO;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity of(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
