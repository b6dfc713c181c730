package dev.minsky.doctor.probe;

import dev.minsky.AppContext;
import dev.minsky.config.ConfigService;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.Fact;
import dev.minsky.log.MinskyLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs every registered probe in-process against a home, as the doctor does. */
final class Probes {
    private Probes() {}

    static DoctorEnv env(Path home) {
        AppContext ctx = new AppContext(Map.of("HOME", home.toString()), home, System.out, System.err, System.in, false,
                Clock.systemUTC());
        ConfigService config = ConfigService.load(ctx);
        return new DoctorEnv(ctx, config, config.settingsLenient(), MinskyLog.forContext(ctx));
    }

    static ProbeRunner.Results results(Path home) {
        return ProbeRunner.run(env(home), Duration.ofSeconds(20));
    }

    /** Facts by id. */
    static Map<String, Object> facts(Path home) {
        return asMap(results(home));
    }

    static Map<String, Object> asMap(ProbeRunner.Results r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Fact f : r.facts()) {
            m.put(f.id(), f.value());
        }
        return m;
    }
}
