package dev.minsky.doctor.engine;

import dev.minsky.doctor.model.Evidence;
import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.Remediation;
import dev.minsky.doctor.model.Safety;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieSession;

/**
 * The rule base built from a set of playbooks, ready to diagnose. Build it once per run (or once
 * per test class); {@link #diagnose} is cheap and may be called many times.
 */
public final class Engine {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(?:(count|plural):)?([A-Za-z0-9_.-]+)(?::([A-Za-z -]+))?(?::([A-Za-z -]+))?}");

    private final Map<String, CauseDef> causes = new LinkedHashMap<>();
    /** The rule base of every cause; null for a lazy engine, which builds one per set of causes whose gates hold. */
    private final KieBase kieBase;
    private final Map<java.util.Set<String>, KieBase> partial = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile int ruleCount = -1;

    private Engine(List<CauseDef> causes, KieBase kieBase) {
        causes.forEach(c -> this.causes.put(c.id(), c));
        this.kieBase = kieBase;
        if (kieBase != null) {
            this.ruleCount = kieBase.getKiePackages().stream().mapToInt(p -> p.getRules().size()).sum();
        }
    }

    /** The rule base of all the causes, built now (the authoring tools diagnose many fixtures with one). */
    public static Engine build(List<CauseDef> causes) {
        return new Engine(causes, RuleBaseBuilder.build(causes));
    }

    /**
     * An engine that builds no rule base until a diagnosis needs one (issue 12: a doctor run on a
     * healthy store never starts Drools). Every finding comes from a cause whose {@code when}
     * gate holds (the generic rules all start from a {@link CauseHit}, which only a gate rule
     * inserts) and whose confidence clears its threshold (only reported diagnoses are ranked and
     * planned), so {@link #diagnose} first tests, on the facts, which causes can be reported
     * ({@link #gated(Map, List, boolean)}): when none can, the findings are empty; otherwise it builds (once per
     * set of such causes) the rule base of those causes and the generic rules, and fires it as
     * before. The other causes could not be reported on these facts, so the findings are the same
     * (EngineLazyTest compares both on every fixture).
     */
    public static Engine lazy(List<CauseDef> causes) {
        return new Engine(causes, null);
    }

    /**
     * For the launcher's class-data archive training run only (on a healthy store, which needs
     * neither): builds the rule base and diagnoses the built-in fixtures, and parses one built-in
     * playbook from its YAML, so that the classes a broken store or a user's playbook needs are
     * archived too.
     */
    public static void trainForArchive() {
        List<Playbook> books = PlaybookLoader.load(List.of()).playbooks();
        Engine lazy = lazy(books.stream().flatMap(p -> p.causes().stream()).toList());
        for (Playbook p : books) {
            for (FixtureDef f : p.fixtures()) {
                if (!f.expect().isEmpty()) {
                    lazy.diagnose(f.facts());
                    break;
                }
            }
        }
        try (java.io.InputStream in = Engine.class.getClassLoader().getResourceAsStream(PlaybookLoader.builtInNames().get(0))) {
            if (in != null) {
                PlaybookLoader.parse("training", new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (java.io.IOException e) {
            // only a faster start is lost
        }
    }

    public Map<String, CauseDef> causes() {
        return causes;
    }

    /** The rules of the whole rule base: one gate per cause, one per piece of evidence and conditional remediation, the generic ones. */
    public int ruleCount() {
        if (ruleCount < 0) {
            int n = RuleBaseBuilder.genericModels().stream().mapToInt(m -> m.getRules().size()).sum();
            for (CauseDef c : causes.values()) {
                n += 1 + c.evidence().size() + (int) c.remediations().stream().filter(r -> !r.when().isEmpty()).count();
            }
            ruleCount = n;
        }
        return ruleCount;
    }

    /**
     * The causes whose {@code when} gate holds on these facts, as the gate rules test it: each
     * condition needs an observation of its fact that passes it ({@code exists}: any observation,
     * {@code absent}: none).
     */
    static java.util.Set<String> gated(Map<String, CauseDef> causes, List<Fact> facts) {
        return gated(causes, facts, false);
    }

    /**
     * With {@code reportable}, only the gated causes that can be reported: those whose supporting
     * evidence that holds (one hit per observation that passes, as the evidence rules insert them)
     * would, with no evidence against, reach the cause's threshold. Evidence against (a playbook's,
     * or a failed probe's) only lowers a confidence ({@link Confidence#combine}), and a cause that
     * is not reported adds nothing to what the generic rules rank and plan.
     */
    static java.util.Set<String> gated(Map<String, CauseDef> causes, List<Fact> facts, boolean reportable) {
        Map<String, List<Object>> byId = new HashMap<>();
        for (Fact f : facts) {
            byId.computeIfAbsent(f.id(), k -> new ArrayList<>(1)).add(f.value());
        }
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (CauseDef c : causes.values()) {
            boolean all = true;
            for (Condition cond : c.when()) {
                if (matches(cond, byId.get(cond.fact())) == 0) {
                    all = false;
                    break;
                }
            }
            if (all && reportable) {
                List<EvidenceHit> support = new ArrayList<>();
                for (EvidenceDef e : c.evidence()) {
                    if (e.supports()) {
                        for (int n = matches(e.condition(), byId.get(e.condition().fact())); n > 0; n--) {
                            support.add(new EvidenceHit(c.id(), e.condition().fact(), null, true, e.weight(), null));
                        }
                    }
                }
                all = Confidence.combine(c.prior(), support) >= c.threshold();
            }
            if (all) {
                out.add(c.id());
            }
        }
        return out;
    }

    /** How many observations a condition's pattern matches ({@code absent}: 1 when there is none). */
    private static int matches(Condition cond, List<Object> seen) {
        return switch (cond.op()) {
            case ABSENT -> seen == null ? 1 : 0;
            case EXISTS -> seen == null ? 0 : seen.size();
            default -> seen == null ? 0 : (int) seen.stream().filter(cond::test).count();
        };
    }

    /** The rule base of these causes alone, with the generic rules (built once per set). */
    private KieBase rulesFor(java.util.Set<String> gated) {
        return partial.computeIfAbsent(java.util.Set.copyOf(gated),
                g -> RuleBaseBuilder.build(causes.values().stream().filter(c -> g.contains(c.id())).toList()));
    }

    /** Ranked findings (most likely first) for a set of facts. */
    public List<Finding> diagnose(List<Fact> probed) {
        return diagnose(probed, null);
    }

    /**
     * Ranked findings; {@code fired}, when not null, receives one line per rule that fired, with
     * how often (for the debug log).
     */
    public List<Finding> diagnose(List<Fact> probed, java.util.function.Consumer<String> fired) {
        List<Fact> facts = derive(probed);
        KieBase rules;
        if (kieBase != null) {
            rules = kieBase;
        } else {
            // the debug log lists every rule that fires: then every gated cause's rules are in
            java.util.Set<String> live = gated(causes, facts, fired == null);
            if (live.isEmpty()) {
                return new ArrayList<>();
            }
            rules = rulesFor(live);
        }
        Map<String, Object> values = new HashMap<>();
        KieSession s = rules.newKieSession();
        try {
            for (Fact f : facts) {
                values.put(f.id(), f.value());
                s.insert(Observation.of(f));
                if (f.id().startsWith("probe.") && f.id().endsWith(".failed") && f.isTrue()) {
                    s.insert(new ProbeFailure(f.id().substring("probe.".length(), f.id().length() - ".failed".length())));
                }
            }
            for (CauseDef c : causes.values()) {
                s.insert(new CauseInfo(c.id(), c.severity().ordinal(), c.threshold(), c.prior()));
                c.probes().forEach(p -> s.insert(new CauseProbe(c.id(), p)));
                for (int i = 0; i < c.remediations().size(); i++) {
                    RemediationDef r = c.remediations().get(i);
                    s.insert(new RemediationOption(c.id(), r.action(), r.safety().json(), i, !r.when().isEmpty()));
                }
            }
            Map<String, Integer> firings = new java.util.TreeMap<>();
            if (fired != null) {
                RuleFirings.countInto(s, firings);
            }
            s.fireAllRules();
            if (fired != null) {
                firings.forEach((rule, n) -> fired.accept("rule fired: " + rule + (n > 1 ? " (x" + n + ")" : "")));
            }

            List<Diagnosis> reported = new ArrayList<>();
            Map<String, List<EvidenceHit>> hits = new HashMap<>();
            Map<String, List<PlannedStep>> steps = new HashMap<>();
            for (Object o : s.getObjects()) {
                if (o instanceof Diagnosis d && d.isReported()) {
                    reported.add(d);
                } else if (o instanceof EvidenceHit h) {
                    hits.computeIfAbsent(h.getCause(), k -> new ArrayList<>()).add(h);
                } else if (o instanceof PlannedStep p) {
                    steps.computeIfAbsent(p.getCause(), k -> new ArrayList<>()).add(p);
                }
            }
            // The generic rules ranked them; sorting by that rank only reads it out.
            reported.sort(Comparator.comparingInt(Diagnosis::getRank));
            List<String> ranked = reported.stream().map(Diagnosis::getCause).toList();
            Map<String, List<String>> blockers = blockers(ranked);
            Map<String, Diagnosis> byCause = new HashMap<>();
            reported.forEach(d -> byCause.put(d.getCause(), d));
            List<Finding> findings = new ArrayList<>();
            for (String id : fixOrder(ranked, blockers)) {
                Diagnosis d = byCause.get(id);
                CauseDef c = causes.get(id);
                findings.add(new Finding(c.id(), c.code(), c.severity(), d.getConfidence(), fill(c.title(), values), c.areaOrDefault(),
                        evidence(hits.getOrDefault(c.id(), List.of())),
                        remediations(c, steps.getOrDefault(c.id(), List.of()), values), blockers.get(id)));
            }
            return findings;
        } finally {
            s.dispose();
        }
    }

    /**
     * For each found cause, the other found causes it must wait for: its playbook's {@code after},
     * followed through causes that were not found (a cause after B after C waits for C when B is
     * absent), in ranking order.
     */
    Map<String, List<String>> blockers(List<String> ranked) {
        java.util.Set<String> found = new java.util.HashSet<>(ranked);
        Map<String, List<String>> out = new HashMap<>();
        for (String id : ranked) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(afterOf(id));
            while (!todo.isEmpty()) {
                String b = todo.pop();
                if (!b.equals(id) && seen.add(b)) {
                    todo.addAll(afterOf(b));
                }
            }
            out.put(id, ranked.stream().filter(r -> !r.equals(id) && seen.contains(r) && found.contains(r)).toList());
        }
        return out;
    }

    private List<String> afterOf(String id) {
        CauseDef c = causes.get(id);
        return c == null ? List.of() : c.after();
    }

    /**
     * The ranking with every cause moved behind the causes it waits for, and otherwise unchanged:
     * at each place, the most likely cause whose blockers are all placed already. A cycle (which
     * the loader refuses; an engine built from unchecked causes may have one) falls back to the ranking.
     */
    static List<String> fixOrder(List<String> ranked, Map<String, List<String>> blockers) {
        List<String> left = new ArrayList<>(ranked);
        List<String> out = new ArrayList<>();
        while (!left.isEmpty()) {
            String next = left.stream().filter(id -> out.containsAll(blockers.getOrDefault(id, List.of()))).findFirst()
                    .orElse(left.get(0));
            left.remove(next);
            out.add(next);
        }
        return out;
    }

    /** The facts as the rules see them: the probed ones and the derived ones (for {@code doctor --explain}). */
    public static List<Fact> withDerived(List<Fact> probed) {
        return derive(probed);
    }

    /**
     * Adds the facts that compare two others, which a condition on one fact cannot express
     * (docs/doctor-contract.md marks them "derived"); a probe that provides one wins.
     */
    static List<Fact> derive(List<Fact> facts) {
        Map<String, Fact> byId = new LinkedHashMap<>();
        facts.forEach(f -> byId.put(f.id(), f));
        List<Fact> out = new ArrayList<>(facts);
        Fact max = byId.get("stores.other.maxSessions");
        if (max != null && max.isNumber() && !byId.containsKey("stores.other.moreThanConfigured")) {
            Fact mine = byId.get("store.sessionCount");
            double configured = mine != null && mine.isNumber() ? mine.number() : 0;
            out.add(new Fact("stores.other.moreThanConfigured", max.number() > configured, "engine"));
        }
        Fact old = byId.get("sessions.olderThan90d");
        Fact all = byId.get("sessions.count");
        if (old != null && all != null && old.isNumber() && all.isNumber() && all.number() > 0
                && !byId.containsKey("sessions.olderThan90d.fraction")) {
            out.add(new Fact("sessions.olderThan90d.fraction", old.number() / all.number(), "engine"));
        }
        return out;
    }

    private static List<Evidence> evidence(List<EvidenceHit> hits) {
        List<EvidenceHit> sorted = new ArrayList<>(hits);
        sorted.sort(Comparator.comparing((EvidenceHit h) -> !h.isSupports())
                .thenComparing(Comparator.comparingDouble(EvidenceHit::getWeight).reversed())
                .thenComparing(EvidenceHit::getFact));
        List<Evidence> out = new ArrayList<>();
        for (EvidenceHit h : sorted) {
            out.add(new Evidence(h.getFact(), h.getValue(), h.isSupports(), h.getWeight(), h.getNote()));
        }
        return out;
    }

    private static List<Remediation> remediations(CauseDef c, List<PlannedStep> steps, Map<String, Object> values) {
        List<PlannedStep> sorted = new ArrayList<>(steps);
        sorted.sort(Comparator.comparingDouble(PlannedStep::getOrder));
        List<Remediation> out = new ArrayList<>();
        // The generic rules insert each prerequisite once per cause, so the plan has no duplicates to drop.
        for (PlannedStep p : sorted) {
            if (p.getPlaybookIndex() >= 0) {
                RemediationDef r = c.remediations().get(p.getPlaybookIndex());
                out.add(new Remediation(r.action(), r.safety(), fill(r.summary(), values), fill(r.command(), values),
                        fill(r.warning(), values)));
            } else {
                Prerequisite pre = Prerequisite.of(p.getAction(), values);
                out.add(new Remediation(p.getAction(), Safety.of(p.getSafety()),
                        fill(pre.summary(), values) + " (before " + p.getPrerequisiteOf() + ")", fill(pre.command(), values), null));
            }
        }
        return out;
    }

    /**
     * Fills {@code ${fact.id}} placeholders from the facts; a missing fact shows as {@code <fact.id>}.
     * {@code ${count:fact.id:noun}} gives the number with the noun ("1 session", "3 sessions") and
     * {@code ${plural:fact.id:noun}} the noun alone; an irregular plural follows a second colon
     * ({@code ${count:n:entry:entries}}). A fact that is not a number leaves the noun in the plural.
     */
    static String fill(String template, Map<String, Object> values) {
        if (template == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String form = m.group(1);
            String id = m.group(2);
            Object v = values.get(id);
            String text;
            if (v == null) {
                text = "<" + id + ">";
            } else if (form == null) {
                text = String.valueOf(v);
            } else {
                String singular = m.group(3) == null ? "" : m.group(3);
                double n = v instanceof Number num ? num.doubleValue() : Double.NaN;
                String word = dev.minsky.util.Plural.word(n, singular, m.group(4));
                text = form.equals("count") ? v + " " + word : word;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(text));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The text of the steps the generic rules chain in front of others. */
    record Prerequisite(String summary, String command) {
        static Prerequisite of(String action, Map<String, Object> facts) {
            // the backup probe always names its directory; when that probe failed, the step says it in words
            if (action.equals("backup.create") && facts.get("backup.dir") == null) {
                return unreadableFile(facts)
                        ? new Prerequisite("Copy the store's files into minsky's backups directory first (it cannot be read as"
                        + " records, so an export would fail)", null)
                        : new Prerequisite("Take a verified backup of the store into minsky's backups directory first", null);
            }
            return switch (action) {
                // A store that cannot be read as records (a corrupt file) cannot be exported: copy its files.
                case "backup.create" -> unreadableFile(facts) ? new Prerequisite(
                        "Copy the store's files aside first (it cannot be read as records, so an export would fail)",
                        "mkdir -p ${backup.dir} && cp -p ${store.path}* ${backup.dir}/")
                        : new Prerequisite("Take a verified backup of the store first",
                        "mkdir -p ${backup.dir} && minsky sessiondb export --all --format json"
                                + " > ${backup.dir}/sessions-$(date -u +%Y%m%dT%H%M%SZ).json");
                default -> ofBackend(action);
            };
        }

        /** A backend's own wording of its action ({@link dev.minsky.store.StoreProvider#prerequisite}), else the generic one. */
        private static Prerequisite ofBackend(String action) {
            for (dev.minsky.store.StoreProvider p : dev.minsky.store.Stores.providers()) {
                try {
                    dev.minsky.store.StoreProvider.Step step = p.prerequisite(action);
                    if (step != null && step.summary() != null) {
                        return new Prerequisite(step.summary(), step.command());
                    }
                } catch (RuntimeException | LinkageError e) {
                    // a plugin backend that cannot answer: the generic wording
                }
            }
            return new Prerequisite("Run " + action + " first", null);
        }

        private static boolean unreadableFile(Map<String, Object> facts) {
            Object backend = facts.get("config.backend");
            return backend instanceof String id && dev.minsky.store.Stores.isFileBackend(id) && Boolean.TRUE.equals(facts.get("store.exists"))
                    && Boolean.FALSE.equals(facts.get("store.openSafe"));
        }
    }
}
