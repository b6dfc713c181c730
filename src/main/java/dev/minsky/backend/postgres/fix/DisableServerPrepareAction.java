package dev.minsky.backend.postgres.fix;

import dev.minsky.doctor.fix.DoctorFixContext;
import dev.minsky.config.ConfigKey;
import dev.minsky.config.ConfigService;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.BuiltinAction;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.Paths2;
import dev.minsky.backend.postgres.PgUrl;
import java.nio.file.Path;

/**
 * {@code postgres.disable-server-prepare}: adds {@code prepareThreshold=0} to
 * {@code sessiondb.connectionString} in the user config, so that the driver prepares no statement
 * on the server (what a transaction pooler needs). Changes only the user config file, which the
 * journal keeps ({@code --undo} puts the old one back); a connection string set in the environment
 * or on the command line is reported instead (it would override the change). The plan and the
 * result show the string masked: the password never reaches output or the journal's text.
 */
public final class DisableServerPrepareAction extends BuiltinAction {
    public DisableServerPrepareAction() {
        super("postgres.disable-server-prepare");
    }

    /** The connection string with prepareThreshold=0, whatever value it had. */
    static String withThresholdZero(String cs) {
        String s = cs.trim();
        if (PgUrl.isKeyValue(s)) {
            return PgUrl.withParam(s, "prepareThreshold", "0");
        }
        int q = s.indexOf('?');
        if (q < 0) {
            return s + "?prepareThreshold=0";
        }
        StringBuilder out = new StringBuilder(s.substring(0, q + 1));
        boolean first = true;
        for (String kv : s.substring(q + 1).split("&")) {
            if (kv.isEmpty() || kv.startsWith("prepareThreshold=") || kv.equals("prepareThreshold")) {
                continue;
            }
            out.append(first ? "" : "&").append(kv);
            first = false;
        }
        return out.append(first ? "" : "&").append("prepareThreshold=0").toString();
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        ConfigService config = DoctorFixContext.of(ctx).config();
        var v = config.get(ConfigKey.CONNECTION_STRING);
        if (v.isEmpty()) {
            return ActionPlan.notApplicable("no sessiondb.connectionString is configured");
        }
        String source = v.get().source();
        if (source.startsWith("environment") || source.startsWith("command line")) {
            return ActionPlan.notApplicable("sessiondb.connectionString is set by the " + source
                    + ", which overrides the user config: add prepareThreshold=0 to it there");
        }
        PgUrl now;
        try {
            now = PgUrl.parse(v.get().value());
        } catch (RuntimeException e) {
            return ActionPlan.notApplicable("the connection string does not parse (config.error says why)");
        }
        if ("0".equals(now.params().get("prepareThreshold"))) {
            return ActionPlan.notApplicable("the connection string already has prepareThreshold=0");
        }
        Path file = DoctorFixContext.of(ctx).env().ctx().paths().userConfigFile();
        ActionPlan.Builder b = ActionPlan.builder()
                .change("in " + file + ": sessiondb.connectionString: " + now.masked() + "?...prepareThreshold=0"
                        + " (the driver prepares no statement on the server)");
        Paths2.missingDirs(file.getParent()).forEach(b::file);
        return b.file(file).build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        ConfigService config = DoctorFixContext.of(ctx).config();
        String cs = config.get(ConfigKey.CONNECTION_STRING).orElseThrow().value();
        config.set(ConfigKey.CONNECTION_STRING, withThresholdZero(cs));
        return Applied.of("added prepareThreshold=0 to sessiondb.connectionString in " + DoctorFixContext.of(ctx).env().ctx().paths().userConfigFile()
                + " (" + PgUrl.parse(cs).masked() + ")");
    }
}
