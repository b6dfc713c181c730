package dev.minsky.admin;

import dev.minsky.config.ConfigService;
import dev.minsky.config.Settings;
import dev.minsky.log.MinskyLog;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * What the admin services need from a run.
 *
 * @param config the layered config (for switching the backend in the user config)
 * @param settings the effective settings of this run (the configured backend unless a flag says otherwise)
 * @param clock timestamps of backups and the journal
 * @param log minsky's log; every change is logged under the {@code sessiondb} component
 * @param progress receives progress lines for long work (the CLI prints them on stderr)
 * @param bar hears each step and record of long work (the CLI draws it as a progress bar on a terminal)
 */
public record AdminContext(ConfigService config, Settings settings, Clock clock, MinskyLog log, Consumer<String> progress,
                           dev.minsky.store.Progress bar) {

    public AdminContext(ConfigService config, Settings settings, Clock clock, MinskyLog log, Consumer<String> progress) {
        this(config, settings, clock, log, progress, dev.minsky.store.Progress.NONE);
    }

    /** Stores this large get progress lines. */
    static final int PROGRESS_THRESHOLD = 5_000;

    void info(String message) {
        log.info("sessiondb", message);
    }

    void progress(long size, String message) {
        if (size >= PROGRESS_THRESHOLD) {
            progress.accept(message);
        }
    }
}
