package dev.minsky.doctor.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One piece of evidence: a condition and how much it weighs for ({@code supports}) or against
 * ({@code against}) the cause, 0..1.
 */
public record EvidenceDef(Condition condition, boolean supports, double weight, String note) {

    @JsonCreator
    static EvidenceDef fromYaml(@JsonProperty("fact") String fact, @JsonProperty("equals") Object equals,
                                @JsonProperty("notEquals") Object notEquals, @JsonProperty("greater") Double greater,
                                @JsonProperty("less") Double less, @JsonProperty("atLeast") Double atLeast,
                                @JsonProperty("atMost") Double atMost, @JsonProperty("contains") String contains,
                                @JsonProperty("in") List<Object> in, @JsonProperty("exists") Boolean exists,
                                @JsonProperty("absent") Boolean absent, @JsonProperty("supports") Double supports,
                                @JsonProperty("against") Double against, @JsonProperty("note") String note) {
        Condition c = new Condition.Yaml(fact, equals, notEquals, greater, less, atLeast, atMost, contains, in, exists, absent)
                .toCondition();
        if ((supports == null) == (against == null)) {
            throw new IllegalArgumentException("evidence on '" + fact + "' needs exactly one of 'supports' or 'against' (a weight 0..1)");
        }
        double w = supports != null ? supports : against;
        if (!(w > 0 && w <= 1)) {
            throw new IllegalArgumentException("the weight of evidence on '" + fact + "' must be in (0, 1], was " + w);
        }
        return new EvidenceDef(c, supports != null, w, note);
    }
}
