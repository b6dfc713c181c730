package dev.minsky.doctor.kb;

import dev.minsky.doctor.engine.Engine;
import dev.minsky.doctor.engine.FixtureDef;
import dev.minsky.doctor.engine.Playbook;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs a playbook's fixtures: the fixture's facts through the real rule base, and the ranking
 * checked against what the fixture expects. {@code expect} is the head of the ranking in order
 * ({@code []}: healthy, no finding of severity error or warning); no cause of {@code absent} may be
 * reported; every confidence lies strictly between 0 and 1. Used by {@code minsky kb test} and by
 * the test that runs every built-in fixture.
 */
public final class FixtureRunner {
    private FixtureRunner() {}

    /**
     * One fixture's outcome.
     *
     * @param playbook the playbook's source
     * @param problems why it failed (empty when it passed)
     * @param ranked the causes reported, most likely first, with their confidence ({@code id@0.91})
     */
    public record Result(String playbook, String fixture, List<String> expect, List<String> absent, List<String> ranked,
                         List<String> problems) {
        public boolean passed() {
            return problems.isEmpty();
        }

        /** The problems in one line. */
        public String problem() {
            return String.join("; ", problems);
        }
    }

    /** Every fixture of each playbook, in order. */
    public static List<Result> runAll(Engine engine, List<Playbook> playbooks) {
        List<Result> out = new ArrayList<>();
        for (Playbook p : playbooks) {
            for (FixtureDef f : p.fixtures()) {
                out.add(run(engine, p.source(), f));
            }
        }
        return out;
    }

    public static Result run(Engine engine, String playbook, FixtureDef f) {
        List<Finding> findings = engine.diagnose(f.facts());
        return check(playbook, f, findings);
    }

    /** The checks of a fixture against findings already made. */
    public static Result check(String playbook, FixtureDef f, List<Finding> findings) {
        List<String> ranked = findings.stream().map(Finding::cause).toList();
        String shown = findings.isEmpty() ? "nothing" : findings.stream().map(x -> x.cause() + "@" + x.confidence())
                .collect(Collectors.joining(", "));
        List<String> problems = new ArrayList<>();
        if (f.expect().isEmpty()) {
            if (!DoctorReport.healthy(findings)) {
                problems.add("expected healthy, got " + shown);
            }
        } else if (ranked.size() < f.expect().size() || !ranked.subList(0, f.expect().size()).equals(f.expect())) {
            problems.add("expected ranking to start with " + f.expect() + ", got " + shown);
        }
        for (String a : f.absent()) {
            if (ranked.contains(a)) {
                problems.add(a + " should not be reported, got " + shown);
            }
        }
        for (Finding x : findings) {
            if (!(x.confidence() > 0 && x.confidence() < 1)) {
                problems.add("confidence of " + x.cause() + " must lie in (0, 1), was " + x.confidence());
            }
        }
        return new Result(playbook, f.name(), f.expect(), f.absent(),
                findings.stream().map(x -> x.cause() + "@" + x.confidence()).toList(), List.copyOf(problems));
    }
}
