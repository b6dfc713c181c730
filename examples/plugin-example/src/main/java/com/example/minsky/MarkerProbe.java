package com.example.minsky;

import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Looks at the acme marker file; reads only (a probe never changes anything). */
public final class MarkerProbe implements Probe {

    @Override
    public String id() {
        return "acme.marker";
    }

    @Override
    public Cost cost() {
        return Cost.CHEAP;
    }

    @Override
    public Set<String> produces() {
        return Set.of("acme.marker.exists", "acme.marker.bytes", "acme.marker.path");
    }

    @Override
    public void run(ProbeContext ctx) throws Exception {
        Path marker = Marker.of(ctx.settings());
        ctx.emit("acme.marker.path", marker.toString());
        boolean exists = Files.isRegularFile(marker);
        ctx.emit("acme.marker.exists", exists);
        if (exists) {
            ctx.emit("acme.marker.bytes", Files.size(marker));
        }
    }
}
