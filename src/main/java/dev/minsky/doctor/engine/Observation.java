package dev.minsky.doctor.engine;

import dev.minsky.doctor.model.Fact;

/**
 * A probe's fact as the rule engine sees it: a JavaBean, because the rules compiled from DRL at
 * build time reach properties through getters.
 */
public final class Observation {
    private final String id;
    private final Object value;

    public Observation(String id, Object value) {
        this.id = id;
        this.value = value;
    }

    public static Observation of(Fact f) {
        return new Observation(f.id(), f.value());
    }

    public String getId() {
        return id;
    }

    public Object getValue() {
        return value;
    }

    /** The numeric value, NaN when the value is not a number (so every comparison is false). */
    public double getNumber() {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    public String getText() {
        return String.valueOf(value);
    }

    public boolean isTrue() {
        return Boolean.TRUE.equals(value);
    }

    @Override
    public String toString() {
        return id + "=" + value;
    }
}
