package dev.minsky.doctor.model;

/**
 * A fact as it bears on one cause.
 *
 * @param fact the fact id
 * @param value its value (null when the fact was absent: absence can be evidence too)
 * @param supports true when it speaks for the cause, false when against
 * @param weight how much it moved the confidence (0..1)
 * @param note why it counts, from the playbook (may be null)
 */
public record Evidence(String fact, Object value, boolean supports, double weight,
                       @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                       String note) {

    public Evidence(String fact, Object value, boolean supports, double weight) {
        this(fact, value, supports, weight, null);
    }
}
