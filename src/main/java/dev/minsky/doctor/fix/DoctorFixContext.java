package dev.minsky.doctor.fix;

import dev.minsky.config.ConfigService;
import dev.minsky.config.Settings;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.Remediation;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The fixer's {@link FixContext}. What an action sees: the environment, the settings in force now (re-read after a fix changed the
 * config), the latest diagnosis and the finding and remediation it was chosen for.
 *
 * @param env the doctor's environment
 * @param settings the store settings in force now
 * @param report the latest diagnosis (its facts); may be null during undo
 * @param finding the finding being fixed; null during undo
 * @param remediation the remediation as the knowledge base wrote it; null during undo
 * @param progress the run's progress bar (the CLI's on a terminal), for the long work of an action
 */
public record DoctorFixContext(DoctorEnv env, Settings settings, DoctorReport report, Finding finding, Remediation remediation,
                               dev.minsky.store.Progress progress)
        implements FixContext {

    /** A context that shows no progress (planning, undo). */
    public DoctorFixContext(DoctorEnv env, Settings settings, DoctorReport report, Finding finding, Remediation remediation) {
        this(env, settings, report, finding, remediation, dev.minsky.store.Progress.NONE);
    }

    /** The fixer's context behind the one an action got (built-in actions only). */
    public static DoctorFixContext of(FixContext ctx) {
        return (DoctorFixContext) ctx;
    }

    @Override
    public String cause() {
        return finding == null ? null : finding.cause();
    }


    @Override
    public Clock clock() {
        return env.ctx().clock();
    }

    /** The config as it is now on disk (an earlier fix may have changed it). */
    public ConfigService config() {
        return Fixer.reloaded(env).config();
    }

    @Override
    public Optional<Fact> fact(String id) {
        if (report == null || report.facts() == null) {
            return Optional.empty();
        }
        return report.facts().stream().filter(f -> f.id().equals(id)).findFirst();
    }

    @Override
    public String text(String id) {
        return fact(id).map(Fact::text).orElse(null);
    }

    @Override
    public long number(String id, long absent) {
        return fact(id).filter(Fact::isNumber).map(f -> (long) f.number()).orElse(absent);
    }

    /** True only when the fact is present and true. */
    @Override
    public boolean isTrue(String id) {
        return fact(id).map(Fact::isTrue).orElse(false);
    }

    /** True only when the fact is present and false. */
    @Override
    public boolean isFalse(String id) {
        return fact(id).map(f -> Boolean.FALSE.equals(f.value())).orElse(false);
    }

    @Override
    public Path stateDir() {
        return settings.stateDir();
    }
}
