package dev.minsky.testutil;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.AppContext;
import dev.minsky.config.ConfigService;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.ProbeRun;
import dev.minsky.doctor.probe.ProbeRunner;
import dev.minsky.log.MinskyLog;
import java.time.Duration;

/**
 * Runs every probe in this process's environment (HOME, XDG_*, MINSKY_*) and prints
 * {@code {"facts": {...}, "runs": [...]}}: how tests look at a store as another user
 * ({@code runuser -u nobody -- java -cp ... dev.minsky.testutil.ProbeMain}).
 */
public final class ProbeMain {
    private ProbeMain() {}

    public static void main(String[] args) throws Exception {
        AppContext ctx = AppContext.system();
        ConfigService config = ConfigService.load(ctx);
        DoctorEnv env = new DoctorEnv(ctx, config, config.settingsLenient(), MinskyLog.forContext(ctx));
        ProbeRunner.Results r = ProbeRunner.run(env, Duration.ofSeconds(20));
        ObjectMapper m = new ObjectMapper();
        ObjectNode out = m.createObjectNode();
        ObjectNode facts = out.putObject("facts");
        for (Fact f : r.facts()) {
            facts.putPOJO(f.id(), f.value());
        }
        var runs = out.putArray("runs");
        for (ProbeRun p : r.runs()) {
            runs.addObject().put("id", p.id()).put("status", p.status()).put("millis", p.millis()).put("detail", p.detail());
        }
        System.out.println(m.writeValueAsString(out));
    }
}
