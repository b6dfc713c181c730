package dev.minsky.doctor.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The safety class of a remediation, as defined in the doctor catalogue. */
public enum Safety {
    /** Cannot lose or change session data; {@code --fix} applies it. */
    SAFE,
    /** Changes data or config after a verified backup; applied with {@code --yes} or a prompt. */
    REVERSIBLE,
    /** Can lose data; never applied, shown with the manual steps and a warning. */
    DESTRUCTIVE,
    /** Needs something minsky must not do itself; shown as instructions. */
    MANUAL;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Safety of(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
