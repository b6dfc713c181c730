package dev.minsky.doctor.engine;

import dev.minsky.doctor.model.Fact;
import freemarker.template.Configuration;
import freemarker.template.Template;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kie.api.KieBase;
import org.kie.api.io.ResourceType;
import org.kie.internal.utils.KieHelper;

/**
 * Benchmark of the rule base, run by bench/doctor-bench.sh:
 * {@code java -cp target/test-classes:target/classes:<test classpath> dev.minsky.doctor.engine.EngineBench [--drl] [--kb DIR]...}.
 * Prints the time to load the playbooks, to build the rule base (first build in the process, then
 * the median of warm rebuilds), and to fire the rules on every fixture's facts. With {@code --drl}
 * it builds the playbook rules the other way (needs the DRL compiler, which the jar leaves out: run it on
 * Maven's classpath as bench/doctor-bench.sh does), rendering DRL from src/test/resources/bench/playbook-rules.drl.ftl
 * and compiling it, to compare the two. Bench code only: it lives in src/test so that the main jar
 * carries neither it nor the DRL template.
 */
public final class EngineBench {
    private EngineBench() {}

    public static void main(String[] args) throws Exception {
        boolean drl = false;
        int rounds = 5;
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--drl" -> drl = true;
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--kb" -> dirs.add(Path.of(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        long t0 = System.nanoTime();
        PlaybookLoader.Loaded loaded = PlaybookLoader.load(dirs);
        long t1 = System.nanoTime();
        List<CauseDef> causes = loaded.causes();
        List<List<Fact>> factSets = new ArrayList<>();
        // The built-in fixtures only, so that 1x and 20x the rules fire on the same facts.
        loaded.playbooks().stream().filter(p -> p.source().startsWith("jar:"))
                .forEach(p -> p.fixtures().forEach(f -> factSets.add(f.facts())));

        List<Double> builds = new ArrayList<>();
        KieBase kb = null;
        String mode = drl ? "drl (FreeMarker + DRL compile, playbook rules only)" : "executable model in code (playbook rules only)";
        for (int i = 0; i < rounds; i++) {
            long b0 = System.nanoTime();
            kb = drl ? buildDrl(causes) : org.drools.modelcompiler.KieBaseBuilder.createKieBaseFromModel(RuleBaseBuilder.playbookModel(causes));
            builds.add((System.nanoTime() - b0) / 1e6);
        }
        int rules = kb.getKiePackages().stream().mapToInt(p -> p.getRules().size()).sum();

        // The full engine (generic rules included), as the doctor runs it.
        long e0 = System.nanoTime();
        Engine engine = Engine.build(causes);
        double engineBuild = (System.nanoTime() - e0) / 1e6;
        List<Double> fires = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            long f0 = System.nanoTime();
            for (List<Fact> facts : factSets) {
                engine.diagnose(facts);
            }
            fires.add((System.nanoTime() - f0) / 1e6);
        }
        System.out.printf(Locale.ROOT, "mode=%s%n", mode);
        System.out.printf(Locale.ROOT, "causes=%d playbook-rules=%d engine-rules=%d playbook-errors=%d%n", causes.size(), rules,
                engine.ruleCount(), loaded.errors().size());
        System.out.printf(Locale.ROOT, "load-playbooks-ms=%.1f%n", (t1 - t0) / 1e6);
        System.out.printf(Locale.ROOT, "build-cold-ms=%.1f build-warm-median-ms=%.1f%n", builds.get(0), median(builds.subList(1, builds.size())));
        System.out.printf(Locale.ROOT, "engine-build-ms=%.1f (generic + playbook rules, after the above)%n", engineBuild);
        System.out.printf(Locale.ROOT, "fire-%d-fixtures-cold-ms=%.1f fire-warm-median-ms=%.1f (%.2f ms per diagnosis)%n", factSets.size(),
                fires.get(0), median(fires.subList(1, fires.size())), median(fires.subList(1, fires.size())) / Math.max(1, factSets.size()));
    }

    private static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    static KieBase buildDrl(List<CauseDef> causes) throws Exception {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        Template t;
        try (InputStreamReader r = new InputStreamReader(EngineBench.class.getClassLoader()
                .getResourceAsStream("bench/playbook-rules.drl.ftl"), StandardCharsets.UTF_8)) {
            t = new Template("playbook-rules", r, cfg);
        }
        List<Map<String, Object>> rules = new ArrayList<>();
        for (CauseDef c : causes) {
            List<String> gate = new ArrayList<>();
            c.when().forEach(k -> gate.add(drl(k, null)));
            rules.add(rule(c.id() + " when", gate, "insert(new CauseHit(\"" + c.id() + "\"));"));
            for (int i = 0; i < c.evidence().size(); i++) {
                EvidenceDef e = c.evidence().get(i);
                List<String> ps = new ArrayList<>();
                ps.add("CauseHit( cause == \"" + c.id() + "\" )");
                boolean absent = e.condition().op() == Condition.Op.ABSENT;
                ps.add(drl(e.condition(), absent ? null : "$o"));
                rules.add(rule(c.id() + " evidence " + i, ps, "insert(new EvidenceHit(\"" + c.id() + "\", \"" + e.condition().fact()
                        + "\", " + (absent ? "null" : "$o.getValue()") + ", " + e.supports() + ", " + e.weight() + ", null));"));
            }
            for (int i = 0; i < c.remediations().size(); i++) {
                RemediationDef r = c.remediations().get(i);
                if (!r.when().isEmpty()) {
                    List<String> ps = new ArrayList<>();
                    ps.add("CauseHit( cause == \"" + c.id() + "\" )");
                    r.when().forEach(k -> ps.add(drl(k, null)));
                    rules.add(rule(c.id() + " remediation " + i, ps, "insert(new RemediationEligible(\"" + c.id() + "\", " + i + "));"));
                }
            }
        }
        Map<String, Object> model = new HashMap<>();
        model.put("rules", rules);
        StringWriter w = new StringWriter();
        t.process(model, w);
        return new KieHelper().addContent(w.toString(), ResourceType.DRL).build();
    }

    private static Map<String, Object> rule(String name, List<String> patterns, String consequence) {
        return Map.of("name", name, "patterns", patterns, "consequence", consequence);
    }

    private static String drl(Condition c, String bind) {
        String head = (bind == null ? "" : bind + " : ") + "Observation( id == \"" + c.fact() + "\"";
        Object v = c.operand();
        String num = v instanceof Number n ? String.valueOf(n.doubleValue()) : null;
        String text = "\"" + String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return switch (c.op()) {
            case ABSENT -> "not Observation( id == \"" + c.fact() + "\" )";
            case EXISTS -> head + " )";
            case EQUALS -> head + (num != null ? ", number == " + num : ", text == " + text) + " )";
            case NOT_EQUALS -> head + (num != null ? ", number != " + num : ", text != " + text) + " )";
            case GREATER -> head + ", number > " + num + " )";
            case LESS -> head + ", number < " + num + " )";
            case AT_LEAST -> head + ", number >= " + num + " )";
            case AT_MOST -> head + ", number <= " + num + " )";
            case CONTAINS -> head + ", text.toLowerCase().contains(" + text.toLowerCase(Locale.ROOT) + ") )";
            case IN -> head + ", text in (" + String.join(", ", ((List<?>) v).stream()
                    .map(x -> "\"" + x + "\"").toList()) + ") )";
        };
    }
}
