package dev.minsky.doctor.kb;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.minsky.doctor.engine.CauseDef;
import dev.minsky.doctor.engine.Condition;
import dev.minsky.doctor.engine.Confidence;
import dev.minsky.doctor.engine.Engine;
import dev.minsky.doctor.engine.EvidenceDef;
import dev.minsky.doctor.engine.EvidenceHit;
import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.Finding;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Why a cause was or was not reported by one diagnosis ({@code minsky doctor --explain CAUSE}): each
 * of its {@code when} conditions and each piece of its evidence against the facts of that run (with
 * the derived facts the rules see), whether it held, and the confidence that came out. The
 * {@code explain} object of {@code doctor --json --explain}.
 *
 * @param reported whether the diagnosis reported the cause
 * @param rank its place among the findings (1 is first), null when not reported
 * @param conditionsHeld whether every {@code when} condition held (else no evidence is weighed)
 * @param confidence the confidence the evidence gives, null when the conditions did not hold
 * @param verdict the outcome in one sentence
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Explanation(String cause, String title, String source, boolean reported, Integer rank, boolean conditionsHeld,
                          double prior, double threshold, Double confidence, List<Check> conditions, List<Weighed> evidence,
                          String verdict) {

    /**
     * One condition and the fact it reads.
     *
     * @param value the fact's value, null when the fact was absent
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Check(String fact, String test, boolean present, Object value, boolean held) {}

    /**
     * One piece of evidence, weighed only when the conditions held.
     *
     * @param counted whether it went into the confidence (it held and the conditions did)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Weighed(String fact, String test, @JsonInclude(JsonInclude.Include.ALWAYS) boolean present,
                          @JsonInclude(JsonInclude.Include.ALWAYS) Object value, boolean held, boolean supports, double weight,
                          String note, boolean counted) {}

    /** Explains {@code def} against the facts and findings of one diagnosis. */
    public static Explanation of(CauseDef def, String source, List<Fact> probed, List<Finding> findings) {
        Map<String, Object> values = new HashMap<>();
        for (Fact f : Engine.withDerived(probed)) {
            values.put(f.id(), f.value());
        }
        List<Check> conditions = new ArrayList<>();
        boolean all = true;
        for (Condition c : def.when()) {
            Object v = values.get(c.fact());
            boolean held = c.test(v);
            all &= held;
            conditions.add(new Check(c.fact(), ConditionText.of(c), values.containsKey(c.fact()), v, held));
        }
        List<Weighed> evidence = new ArrayList<>();
        List<EvidenceHit> hits = new ArrayList<>();
        for (EvidenceDef e : def.evidence()) {
            Condition c = e.condition();
            Object v = values.get(c.fact());
            boolean held = c.test(v);
            evidence.add(new Weighed(c.fact(), ConditionText.of(c), values.containsKey(c.fact()), v, held, e.supports(), e.weight(),
                    e.note(), all && held));
            if (all && held) {
                hits.add(new EvidenceHit(def.id(), c.fact(), v, e.supports(), e.weight(), e.note()));
            }
        }
        // the generic rule: a failed probe the cause reads from counts against it
        for (String p : def.probes()) {
            String id = "probe." + p + ".failed";
            Object v = values.get(id);
            if (Boolean.TRUE.equals(v)) {
                evidence.add(new Weighed(id, id + " equals true", true, v, true, false, 0.25,
                        "the probe " + p + " could not run, so this is less certain", all));
                if (all) {
                    hits.add(new EvidenceHit(def.id(), id, v, false, 0.25, null));
                }
            }
        }
        Integer rank = null;
        Double found = null;
        for (int i = 0; i < findings.size(); i++) {
            if (findings.get(i).cause().equals(def.id())) {
                rank = i + 1;
                found = findings.get(i).confidence();
            }
        }
        Double confidence = found != null ? found : all ? Confidence.combine(def.prior(), hits) : null;
        String verdict;
        if (rank != null) {
            verdict = "reported: every condition held and the confidence " + num(confidence) + " reached the threshold "
                    + num(def.threshold()) + " (ranked " + rank + " of " + findings.size() + ")";
        } else if (!all) {
            Check first = conditions.stream().filter(c -> !c.held()).findFirst().orElseThrow();
            verdict = "not reported: the condition '" + first.test() + "' did not hold ("
                    + (first.present() ? first.fact() + " = " + shown(first.value()) : first.fact() + ": fact absent")
                    + "), so no evidence was weighed";
        } else {
            verdict = "not reported: every condition held but the confidence " + num(confidence) + " is below the threshold "
                    + num(def.threshold());
        }
        return new Explanation(def.id(), def.title(), source, rank != null, rank, all, def.prior(), def.threshold(), confidence,
                List.copyOf(conditions), List.copyOf(evidence), verdict);
    }

    /** The explanation for a person. */
    public void print(PrintStream out) {
        out.println();
        out.println("Why " + cause + (reported ? " was reported" : " was not reported") + " (" + title + ", from " + source + "):");
        out.println("  conditions (all must hold):");
        int w = conditions.stream().mapToInt(c -> c.test().length()).max().orElse(0);
        for (Check c : conditions) {
            out.println("    " + (c.held() ? "held    " : "failed  ") + pad(c.test(), w) + "   "
                    + (c.present() ? c.fact() + " = " + shown(c.value()) : c.fact() + ": fact absent"));
        }
        out.println("  evidence" + (conditionsHeld ? "" : " (not weighed: a condition failed)") + ":");
        int ew = evidence.stream().mapToInt(e -> e.test().length()).max().orElse(0);
        for (Weighed e : evidence) {
            out.println("    " + (e.held() ? "held    " : "failed  ") + (e.supports() ? "supports " : "against  ")
                    + num(e.weight()) + "  " + pad(e.test(), ew) + "   "
                    + (e.present() ? e.fact() + " = " + shown(e.value()) : e.fact() + ": fact absent")
                    + (e.note() == null ? "" : "  (" + e.note() + ")"));
        }
        out.println("  confidence: " + (confidence == null ? "not computed" : num(confidence)) + " (prior " + num(prior)
                + ", threshold " + num(threshold) + ")");
        out.println("  " + verdict);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    static String shown(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    static String num(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.2f", d);
    }
}
