package com.example.minsky;

import dev.minsky.config.Settings;
import java.nio.file.Path;

/** Where the acme marker file is: {@code acme-marker} in minsky's state directory. */
final class Marker {
    static final String FILE = "acme-marker";

    private Marker() {}

    static Path of(Settings s) {
        return s.stateDir().resolve(FILE);
    }
}
