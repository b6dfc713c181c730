package dev.minsky.doctor.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A test on one fact, from the closed vocabulary playbooks may use: {@code equals}, {@code notEquals},
 * {@code greater}, {@code less}, {@code atLeast}, {@code atMost}, {@code contains}, {@code in},
 * {@code exists}, {@code absent}. Exactly one operator per condition. Every operator but
 * {@code absent} needs the fact to be present.
 */
public record Condition(String fact, Op op, Object operand) {
    static final Pattern FACT_ID = Pattern.compile("[a-z][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*");

    /** The operators, with their YAML names. */
    public enum Op {
        EQUALS("equals"), NOT_EQUALS("notEquals"), GREATER("greater"), LESS("less"), AT_LEAST("atLeast"),
        AT_MOST("atMost"), CONTAINS("contains"), IN("in"), EXISTS("exists"), ABSENT("absent");

        final String yaml;

        Op(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }
    }

    /** The YAML form; also used for evidence, whose extra fields are checked by {@link EvidenceDef}. */
    record Yaml(String fact, Object equals, Object notEquals, Double greater, Double less, Double atLeast, Double atMost,
                String contains, List<Object> in, Boolean exists, Boolean absent) {

        Condition toCondition() {
            if (fact == null || fact.isBlank()) {
                throw new IllegalArgumentException("'fact' is required");
            }
            if (!FACT_ID.matcher(fact).matches()) {
                throw new IllegalArgumentException("'fact' must be a dotted id like store.exists, was '" + fact + "'");
            }
            List<Condition> found = new ArrayList<>();
            add(found, Op.EQUALS, scalar("equals", equals));
            add(found, Op.NOT_EQUALS, scalar("notEquals", notEquals));
            add(found, Op.GREATER, greater);
            add(found, Op.LESS, less);
            add(found, Op.AT_LEAST, atLeast);
            add(found, Op.AT_MOST, atMost);
            add(found, Op.CONTAINS, contains);
            if (in != null) {
                if (in.isEmpty()) {
                    throw new IllegalArgumentException("'in' needs at least one value");
                }
                in.forEach(v -> scalar("in", v));
                add(found, Op.IN, List.copyOf(in));
            }
            if (exists != null) {
                add(found, exists ? Op.EXISTS : Op.ABSENT, Boolean.TRUE);
            }
            if (absent != null) {
                add(found, absent ? Op.ABSENT : Op.EXISTS, Boolean.TRUE);
            }
            if (found.size() != 1) {
                throw new IllegalArgumentException("a condition on '" + fact + "' needs exactly one operator (one of "
                        + String.join(", ", opNames()) + "), found " + found.size());
            }
            return found.get(0);
        }

        private void add(List<Condition> found, Op op, Object operand) {
            if (operand != null) {
                found.add(new Condition(fact, op, operand));
            }
        }

        private static Object scalar(String field, Object v) {
            if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) {
                return v;
            }
            throw new IllegalArgumentException("'" + field + "' takes a string, number or boolean, not " + v);
        }
    }

    @JsonCreator
    static Condition fromYaml(@JsonProperty("fact") String fact, @JsonProperty("equals") Object equals,
                              @JsonProperty("notEquals") Object notEquals, @JsonProperty("greater") Double greater,
                              @JsonProperty("less") Double less, @JsonProperty("atLeast") Double atLeast,
                              @JsonProperty("atMost") Double atMost, @JsonProperty("contains") String contains,
                              @JsonProperty("in") List<Object> in, @JsonProperty("exists") Boolean exists,
                              @JsonProperty("absent") Boolean absent) {
        return new Yaml(fact, equals, notEquals, greater, less, atLeast, atMost, contains, in, exists, absent).toCondition();
    }

    static List<String> opNames() {
        List<String> names = new ArrayList<>();
        for (Op o : Op.values()) {
            names.add(o.yaml);
        }
        return names;
    }

    /** Whether an observed value satisfies this condition; {@code value} is null when the fact is absent. */
    public boolean test(Object value) {
        if (op == Op.ABSENT) {
            return value == null;
        }
        if (value == null) {
            return false;
        }
        return switch (op) {
            case EXISTS -> true;
            case EQUALS -> same(value, operand);
            case NOT_EQUALS -> !same(value, operand);
            case GREATER -> number(value) > ((Number) operand).doubleValue();
            case LESS -> number(value) < ((Number) operand).doubleValue();
            case AT_LEAST -> number(value) >= ((Number) operand).doubleValue();
            case AT_MOST -> number(value) <= ((Number) operand).doubleValue();
            case CONTAINS -> String.valueOf(value).toLowerCase(Locale.ROOT)
                    .contains(((String) operand).toLowerCase(Locale.ROOT));
            case IN -> ((List<?>) operand).stream().anyMatch(o -> same(value, o));
            default -> false;
        };
    }

    private static double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof Boolean || b instanceof Boolean) {
            return Objects.equals(String.valueOf(a), String.valueOf(b));
        }
        return Objects.equals(String.valueOf(a), String.valueOf(b));
    }

    /**
     * An id unique per fact, operator and operand: Drools shares alpha nodes between constraints
     * with the same id, so two different tests must never share one.
     */
    public String exprId() {
        return fact + " " + op.yaml + " " + (operand instanceof String ? "'" + operand + "'" : String.valueOf(operand))
                + (operand == null ? "" : ":" + operand.getClass().getSimpleName());
    }

    @Override
    public String toString() {
        return switch (op) {
            case EXISTS -> fact + " exists";
            case ABSENT -> fact + " absent";
            default -> fact + " " + op.yaml + " " + operand;
        };
    }
}
