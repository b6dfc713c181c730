package dev.minsky.doctor.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.minsky.doctor.model.Fact;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Facts in, ranked causes out. {@code extends} names an earlier fixture of the same playbook whose
 * facts this one starts from. {@code expect} is the head of the ranking, in order (empty: no
 * finding of severity error or warning); {@code absent} lists causes that must not be reported.
 */
public record FixtureDef(String name, List<Fact> facts, List<String> expect, List<String> absent, String extendsName) {

    @JsonCreator
    static FixtureDef fromYaml(@JsonProperty("name") String name, @JsonProperty("facts") Map<String, Object> facts,
                               @JsonProperty("expect") List<String> expect, @JsonProperty("absent") List<String> absent,
                               @JsonProperty("extends") String extendsName) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a fixture needs a 'name'");
        }
        if (facts == null) {
            throw new IllegalArgumentException("fixture '" + name + "' needs 'facts'");
        }
        if (expect == null) {
            throw new IllegalArgumentException("fixture '" + name + "' needs 'expect' (the ranked causes, [] for none)");
        }
        List<Fact> list = new ArrayList<>();
        facts.forEach((k, v) -> {
            if (!Condition.FACT_ID.matcher(k).matches()) {
                throw new IllegalArgumentException("fixture '" + name + "': bad fact id '" + k + "'");
            }
            try {
                list.add(new Fact(k, v, k.startsWith("probe.") ? k.split("\\.")[1] : "fixture"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fixture '" + name + "': fact " + k + " must be a string, number or boolean");
            }
        });
        return new FixtureDef(name, List.copyOf(list), List.copyOf(expect), absent == null ? List.of() : List.copyOf(absent),
                extendsName);
    }

    /** This fixture with the facts of {@code base} underneath its own. */
    FixtureDef over(FixtureDef base) {
        Map<String, Fact> merged = new java.util.LinkedHashMap<>();
        base.facts().forEach(f -> merged.put(f.id(), f));
        facts.forEach(f -> merged.put(f.id(), f));
        return new FixtureDef(name, List.copyOf(merged.values()), expect, absent, null);
    }
}
