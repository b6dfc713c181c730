package dev.minsky.doctor;

import dev.minsky.doctor.engine.Engine;
import dev.minsky.doctor.engine.PlaybookLoader;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.probe.ProbeRunner;
import dev.minsky.store.Stores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One doctor run: load the playbooks (built in, the user's, {@code --kb}), build the rule base
 * once, then probe and diagnose as often as asked ({@code --fix} diagnoses again after fixing).
 */
public final class Doctor {
    public static final int SCHEMA_VERSION = 1;

    private final DoctorEnv env;
    private final DoctorOptions options;
    private final PlaybookLoader.Loaded loaded;
    private final Engine engine;
    private final Map<String, Long> timings = new LinkedHashMap<>();

    private Doctor(DoctorEnv env, DoctorOptions options) {
        this.env = env;
        this.options = options;
        long t0 = System.nanoTime();
        List<Path> dirs = new ArrayList<>();
        dirs.add(env.ctx().paths().userKnowledgeBase());
        dirs.addAll(options.extraKnowledgeBases());
        this.loaded = PlaybookLoader.load(dirs);
        long t1 = System.nanoTime();
        this.engine = Engine.build(loaded.causes());
        long t2 = System.nanoTime();
        timings.put("playbooks.load", (t1 - t0) / 1_000_000);
        timings.put("rulebase.build", (t2 - t1) / 1_000_000);
    }

    /** Loads the knowledge base and builds the rule base. */
    public static Doctor open(DoctorEnv env, DoctorOptions options) {
        return new Doctor(env, options);
    }

    public PlaybookLoader.Loaded knowledgeBase() {
        return loaded;
    }

    public Engine engine() {
        return engine;
    }

    /** Milliseconds per phase of the last run (playbooks.load, rulebase.build, probes, rules.fire). */
    public Map<String, Long> timings() {
        return timings;
    }

    /** Probes the store and diagnoses it. */
    public DoctorReport diagnose() {
        long t0 = System.nanoTime();
        ProbeRunner.Results results = ProbeRunner.run(env, options.deadline());
        long t1 = System.nanoTime();
        timings.put("probes", (t1 - t0) / 1_000_000);
        DoctorReport report = report(results);
        timings.put("rules.fire", (System.nanoTime() - t1) / 1_000_000);
        return report;
    }

    /** Diagnoses facts that were already collected (fixtures, the bundle, tests). */
    public DoctorReport report(ProbeRunner.Results results) {
        List<Finding> findings = engine.diagnose(results.facts());
        return new DoctorReport(SCHEMA_VERSION, backend(results.facts()), store(results.facts()),
                DoctorReport.healthy(findings), findings, results.runs(), results.facts(), null, null,
                loaded.errors().isEmpty() ? null : loaded.errors());
    }

    private String backend(List<Fact> facts) {
        Object b = value(facts, "config.backend");
        return b != null ? b.toString() : env.settings() == null ? null : env.settings().backend();
    }

    private String store(List<Fact> facts) {
        Object p = value(facts, "store.path");
        if (p != null) {
            return env.log().scrub(p.toString());
        }
        try {
            return env.log().scrub(Stores.provider(env.settings()).location(env.settings()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Object value(List<Fact> facts, String id) {
        for (Fact f : facts) {
            if (f.id().equals(id)) {
                return f.value();
            }
        }
        return null;
    }
}
