package dev.minsky.doctor.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.doctor.model.ProbeRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeRunnerTest {
    @TempDir
    Path home;

    /** A probe made of a lambda. */
    record P(String id, Cost cost, Duration timeout, Set<String> dependsOn, Set<String> produces,
             Consumer<ProbeContext> body) implements Probe {
        @Override
        public void run(ProbeContext ctx) {
            body.accept(ctx);
        }
    }

    static P probe(String id, Probe.Cost cost, Set<String> deps, Set<String> produces, Consumer<ProbeContext> body) {
        return new P(id, cost, Duration.ofSeconds(2), deps, produces, body);
    }

    @Test
    void cheap_probes_run_first_but_never_before_what_they_depend_on() {
        List<String> order = new ArrayList<>();
        List<Probe> probes = List.of(
                probe("exp", Probe.Cost.EXPENSIVE, Set.of(), Set.of("e"), c -> order.add("exp")),
                probe("mod", Probe.Cost.MODERATE, Set.of(), Set.of("m"), c -> {
                    order.add("mod");
                    c.emit("m", 42L);
                }),
                probe("cheap-needs-mod", Probe.Cost.CHEAP, Set.of("m"), Set.of("x"), c -> {
                    order.add("cheap-needs-mod");
                    c.emit("x", c.number("m", -1) + 1);
                }),
                probe("cheap", Probe.Cost.CHEAP, Set.of(), Set.of("c"), c -> order.add("cheap")));
        ProbeRunner.Results r = ProbeRunner.run(Probes.env(home), Duration.ofSeconds(5), probes);
        assertEquals(List.of("cheap", "mod", "cheap-needs-mod", "exp"), order);
        assertEquals(43.0, ((Number) Probes.asMap(r).get("x")).doubleValue());
    }

    @Test
    void a_probe_that_throws_or_overruns_is_reported_and_the_run_goes_on() {
        AtomicInteger calls = new AtomicInteger();
        List<Probe> probes = List.of(
                probe("boom", Probe.Cost.CHEAP, Set.of(), Set.of(), c -> {
                    throw new IllegalStateException("disk on fire, password=hunter2");
                }),
                new P("slow", Probe.Cost.EXPENSIVE, Duration.ofMillis(200), Set.of(), Set.of("slow.partial", "slow.late"), c -> {
                    calls.incrementAndGet();
                    c.emit("slow.partial", true);
                    try {
                        Thread.sleep(5000);
                    } catch (InterruptedException e) {
                        // abandoned: what it emits now must be dropped
                    }
                    c.emit("slow.late", true);
                }),
                probe("after", Probe.Cost.EXPENSIVE, Set.of(), Set.of("after.ran"), c -> c.emit("after.ran", true)));
        ProbeRunner.Results r = ProbeRunner.run(Probes.env(home), Duration.ofSeconds(5), probes);
        Map<String, Object> f = Probes.asMap(r);
        assertEquals(true, f.get("probe.boom.failed"));
        assertTrue(f.get("probe.boom.error").toString().contains("disk on fire"));
        assertFalse(f.get("probe.boom.error").toString().contains("hunter2"), "secrets are masked in errors");
        assertEquals(true, f.get("probe.slow.failed"));
        assertEquals(true, f.get("slow.partial"), "facts made before the timeout are kept");
        assertFalse(f.containsKey("slow.late"));
        assertEquals(true, f.get("after.ran"));
        assertEquals(1, calls.get(), "an expensive probe is never retried");
        assertEquals("failed", run(r, "boom").status());
        assertEquals("timeout", run(r, "slow").status());
        assertTrue(run(r, "slow").millis() < 2000);
    }

    @Test
    void once_the_deadline_has_passed_the_rest_are_skipped_and_say_so() {
        List<Probe> probes = List.of(
                new P("hog", Probe.Cost.CHEAP, Duration.ofSeconds(10), Set.of(), Set.of(), c -> {
                    try {
                        Thread.sleep(10_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }),
                probe("late", Probe.Cost.CHEAP, Set.of(), Set.of("late.ran"), c -> c.emit("late.ran", true)));
        long t0 = System.nanoTime();
        ProbeRunner.Results r = ProbeRunner.run(Probes.env(home), Duration.ofMillis(300), probes);
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000, "the deadline holds for the whole run");
        assertEquals("timeout", run(r, "hog").status());
        assertEquals("skipped", run(r, "late").status());
        assertEquals(true, Probes.asMap(r).get("probe.late.failed"));
    }

    @Test
    void every_fact_a_built_in_probe_declares_is_in_the_contract() throws Exception {
        String contract = Files.readString(Path.of("docs/doctor-contract.md"));
        Set<String> documented = new java.util.HashSet<>();
        Matcher m = Pattern.compile("`([a-zA-Z0-9.]+)`").matcher(contract);
        while (m.find()) {
            documented.add(m.group(1));
        }
        // "store.dir.exists / .readable" rows name the siblings by suffix
        List<String> missing = new ArrayList<>();
        for (Probe p : ProbeRunner.load(Probes.env(home), new ArrayList<>())) {
            for (String id : p.produces()) {
                if (!documented.contains(id)) {
                    missing.add(p.id() + ": " + id);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    private static ProbeRun run(ProbeRunner.Results r, String id) {
        return r.runs().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
    }
}
