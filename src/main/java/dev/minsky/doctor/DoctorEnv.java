package dev.minsky.doctor;

import dev.minsky.AppContext;
import dev.minsky.config.ConfigService;
import dev.minsky.config.Settings;
import dev.minsky.log.MinskyLog;

/**
 * What the doctor, its probes, fixes and bundle work with.
 *
 * @param ctx the outside world
 * @param config the layered config (may hold problems: the doctor reports them)
 * @param settings settings built leniently from whatever config is valid
 * @param log minsky's log (secrets registered)
 */
public record DoctorEnv(AppContext ctx, ConfigService config, Settings settings, MinskyLog log) {}
