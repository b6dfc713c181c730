package dev.minsky.doctor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * @param extraKnowledgeBases playbook directories from {@code --kb}
 * @param deadline one deadline for all probes of a run
 */
public record DoctorOptions(List<Path> extraKnowledgeBases, Duration deadline) {
    public static final DoctorOptions DEFAULT = new DoctorOptions(List.of(), Duration.ofSeconds(10));
}
