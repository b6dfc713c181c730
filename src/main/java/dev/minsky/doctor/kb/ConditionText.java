package dev.minsky.doctor.kb;

import dev.minsky.doctor.engine.Condition;
import java.util.List;
import java.util.stream.Collectors;

/** A condition as a playbook author wrote it: {@code sqlite.holders.count atMost 0}, not {@code 0.0}. */
public final class ConditionText {
    private ConditionText() {}

    public static String of(Condition c) {
        return switch (c.op()) {
            case EXISTS -> c.fact() + " exists";
            case ABSENT -> c.fact() + " absent";
            case IN -> c.fact() + " in [" + ((List<?>) c.operand()).stream().map(ConditionText::value)
                    .collect(Collectors.joining(", ")) + "]";
            default -> c.fact() + " " + c.op().yaml() + " " + value(c.operand());
        };
    }

    /** A value as YAML would show it: whole numbers without {@code .0}. */
    public static String value(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15) {
            return String.valueOf(d.longValue());
        }
        return String.valueOf(v);
    }
}
