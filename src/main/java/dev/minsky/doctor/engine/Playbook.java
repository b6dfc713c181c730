package dev.minsky.doctor.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One playbook file: the causes of one area and the fixtures that show them.
 *
 * @param source where it was loaded from (a file path, or {@code jar:knowledge-base/x.yaml})
 */
public record Playbook(String source, String area, String description, List<CauseDef> causes, List<FixtureDef> fixtures) {

    @JsonCreator
    static Playbook fromYaml(@JsonProperty("area") String area, @JsonProperty("description") String description,
                             @JsonProperty("causes") List<CauseDef> causes, @JsonProperty("fixtures") List<FixtureDef> fixtures) {
        if (causes == null || causes.isEmpty()) {
            throw new IllegalArgumentException("a playbook needs 'causes'");
        }
        Set<String> ids = new HashSet<>();
        for (CauseDef c : causes) {
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("cause " + c.id() + " is defined twice");
            }
        }
        List<FixtureDef> resolved = new java.util.ArrayList<>();
        java.util.Map<String, FixtureDef> byName = new java.util.HashMap<>();
        for (FixtureDef f : fixtures == null ? List.<FixtureDef>of() : fixtures) {
            FixtureDef r = f;
            if (f.extendsName() != null) {
                FixtureDef base = byName.get(f.extendsName());
                if (base == null) {
                    throw new IllegalArgumentException("fixture '" + f.name() + "' extends '" + f.extendsName()
                            + "', which is not an earlier fixture of this playbook");
                }
                r = f.over(base);
            }
            if (byName.put(f.name(), r) != null) {
                throw new IllegalArgumentException("fixture '" + f.name() + "' is defined twice");
            }
            resolved.add(r);
        }
        return new Playbook(null, area, description, List.copyOf(causes), List.copyOf(resolved));
    }

    Playbook withSource(String source) {
        return new Playbook(source, area, description, causes, fixtures);
    }
}
