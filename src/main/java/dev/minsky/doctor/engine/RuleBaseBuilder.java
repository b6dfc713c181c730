package dev.minsky.doctor.engine;

import static org.drools.model.DSL.declarationOf;
import static org.drools.model.DSL.execute;
import static org.drools.model.DSL.not;
import static org.drools.model.DSL.on;
import static org.drools.model.PatternDSL.alphaIndexedBy;
import static org.drools.model.PatternDSL.pattern;
import static org.drools.model.PatternDSL.rule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.drools.model.Index;
import org.drools.model.Model;
import org.drools.model.PatternDSL.PatternDef;
import org.drools.model.Rule;
import org.drools.model.RuleItemBuilder;
import org.drools.model.Variable;
import org.drools.model.impl.ModelImpl;
import org.drools.modelcompiler.KieBaseBuilder;
import org.kie.api.KieBase;

/**
 * Turns playbooks into Drools rules with the executable model, built straight from the playbook
 * in code (no DRL text, nothing to compile), and puts them in one rule base with the generic
 * rules of {@code rules/*.drl}, which kie-maven-plugin compiled to the executable model at build time.
 *
 * <p>Per cause: one rule inserts a {@link CauseHit} when its {@code when} conditions hold; one rule
 * per piece of evidence inserts an {@link EvidenceHit}; one rule per conditional remediation inserts
 * a {@link RemediationEligible}.
 */
public final class RuleBaseBuilder {
    static final String PACKAGE = "dev.minsky.doctor.playbooks";
    /** Where kie-maven-plugin lists the model classes it generated from rules/*.drl. */
    static final String GENERATED_MODELS = "META-INF/kie/dev.minsky/minsky/drools-model";
    /*
     * Alpha-node hashing needs the property's position among the class's bean properties (sorted
     * by name: Observation's "id" and CauseHit's "cause" come first) and a reactOn naming it; with
     * any other index id the indexed rules silently never fire.
     */
    private static final int ID_INDEX = 0;
    private static final int CAUSE_INDEX = 0;
    private static final org.drools.model.functions.Function1<Observation, String> OBSERVATION_ID = Observation::getId;
    private static final org.drools.model.functions.Function1<CauseHit, String> CAUSE_OF = CauseHit::getCause;

    private RuleBaseBuilder() {}

    public static KieBase build(List<CauseDef> causes) {
        List<Model> models = new ArrayList<>(genericModels());
        models.add(playbookModel(causes));
        return KieBaseBuilder.createKieBaseFromModel(models);
    }

    /** The playbook rules alone (exposed for the benchmark and for counting rules). */
    public static Model playbookModel(List<CauseDef> causes) {
        ModelImpl model = new ModelImpl();
        for (CauseDef c : causes) {
            model.addRule(gateRule(c));
            for (int i = 0; i < c.evidence().size(); i++) {
                model.addRule(evidenceRule(c, i, c.evidence().get(i)));
            }
            for (int i = 0; i < c.remediations().size(); i++) {
                RemediationDef r = c.remediations().get(i);
                if (!r.when().isEmpty()) {
                    model.addRule(remediationRule(c, i, r));
                }
            }
        }
        return model;
    }

    public static List<Model> genericModels() {
        List<Model> models = new ArrayList<>();
        try (InputStream in = RuleBaseBuilder.class.getClassLoader().getResourceAsStream(GENERATED_MODELS)) {
            if (in == null) {
                throw new IllegalStateException(GENERATED_MODELS + " is missing: the generic rules were not compiled (run the Maven build)");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("Drools-Model-Version")) {
                    continue;
                }
                models.add((Model) Class.forName(name).getDeclaredConstructor().newInstance());
            }
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the compiled generic rules: " + e, e);
        }
        if (models.isEmpty()) {
            throw new IllegalStateException(GENERATED_MODELS + " lists no rules: the generic rules were not compiled");
        }
        return models;
    }

    private static Rule gateRule(CauseDef c) {
        List<RuleItemBuilder<?>> items = new ArrayList<>();
        for (Condition cond : c.when()) {
            items.add(conditionItem(cond, null));
        }
        String cause = c.id();
        items.add(execute(drools -> drools.insert(new CauseHit(cause))));
        return rule(PACKAGE, cause + " when").build(items.toArray(RuleItemBuilder[]::new));
    }

    private static Rule evidenceRule(CauseDef c, int index, EvidenceDef e) {
        String cause = c.id();
        Condition cond = e.condition();
        List<RuleItemBuilder<?>> items = new ArrayList<>();
        items.add(causeHit(cause));
        boolean supports = e.supports();
        double weight = e.weight();
        String note = e.note();
        String fact = cond.fact();
        if (cond.op() == Condition.Op.ABSENT) {
            items.add(conditionItem(cond, null));
            items.add(execute(drools -> drools.insert(new EvidenceHit(cause, fact, null, supports, weight, note))));
        } else {
            Variable<Observation> v = declarationOf(Observation.class);
            items.add(conditionItem(cond, v));
            items.add(on(v).execute((drools, o) -> drools.insert(new EvidenceHit(cause, fact, o.getValue(), supports, weight, note))));
        }
        return rule(PACKAGE, cause + " evidence " + index).build(items.toArray(RuleItemBuilder[]::new));
    }

    private static Rule remediationRule(CauseDef c, int index, RemediationDef r) {
        String cause = c.id();
        List<RuleItemBuilder<?>> items = new ArrayList<>();
        items.add(causeHit(cause));
        for (Condition cond : r.when()) {
            items.add(conditionItem(cond, null));
        }
        items.add(execute(drools -> drools.insert(new RemediationEligible(cause, index))));
        return rule(PACKAGE, cause + " remediation " + index).build(items.toArray(RuleItemBuilder[]::new));
    }

    private static PatternDef<CauseHit> causeHit(String cause) {
        Variable<CauseHit> h = declarationOf(CauseHit.class);
        return pattern(h).expr("cause == '" + cause + "'", x -> x.getCause().equals(cause),
                alphaIndexedBy(String.class, Index.ConstraintType.EQUAL, CAUSE_INDEX, CAUSE_OF, cause), org.drools.model.PatternDSL.reactOn("cause"));
    }

    /** A pattern on the observation a condition reads; {@code absent} becomes {@code not(...)}. */
    private static RuleItemBuilder<?> conditionItem(Condition cond, Variable<Observation> bind) {
        String fact = cond.fact();
        Variable<Observation> v = bind != null ? bind : declarationOf(Observation.class);
        PatternDef<Observation> p = pattern(v).expr("id == '" + fact + "'", o -> o.getId().equals(fact),
                alphaIndexedBy(String.class, Index.ConstraintType.EQUAL, ID_INDEX, OBSERVATION_ID, fact), org.drools.model.PatternDSL.reactOn("id"));
        switch (cond.op()) {
            case ABSENT:
                return not(p);
            case EXISTS:
                return p;
            default:
                // The id names fact, operator and operand: an id shared by two different tests
                // would make Drools share their alpha node and match the wrong facts.
                return p.expr(cond.exprId(), o -> cond.test(o.getValue()));
        }
    }
}
