package dev.minsky.doctor.probe;

import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.ProbeRun;
import java.time.Duration;
import java.util.List;

/** Runs every probe that applies, cheap ones first, under one deadline. (Owned by the probes work.) */
public final class ProbeRunner {
    /** Facts collected and how each probe went. */
    public record Results(List<Fact> facts, List<ProbeRun> runs) {}

    private ProbeRunner() {}

    public static Results run(DoctorEnv env, Duration deadline) {
        throw new UnsupportedOperationException("probes are not built yet");
    }
}
