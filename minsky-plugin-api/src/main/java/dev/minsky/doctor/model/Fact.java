package dev.minsky.doctor.model;

/**
 * One observation a probe made, e.g. {@code sqlite.wal.bytes = 32992}. Ids are listed in
 * docs/doctor-contract.md. The value is a Boolean, a Number (held as Long or Double), or a String;
 * never null: a probe that could not observe something says so with {@code probe.<id>.failed}.
 *
 * @param id the fact id
 * @param value Boolean, Long, Double or String
 * @param probe the id of the probe that made it
 */
public record Fact(String id, Object value, String probe) {

    public Fact {
        if (value instanceof Integer i) {
            value = i.longValue();
        } else if (value instanceof Float f) {
            value = f.doubleValue();
        }
        if (!(value instanceof Boolean || value instanceof Long || value instanceof Double || value instanceof String)) {
            throw new IllegalArgumentException("fact " + id + ": value must be Boolean, Long, Double or String, was " + value);
        }
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isTrue() {
        return Boolean.TRUE.equals(value);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isNumber() {
        return value instanceof Number;
    }

    /** The numeric value, or NaN when not a number. */
    public double number() {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    public String text() {
        return String.valueOf(value);
    }
}
