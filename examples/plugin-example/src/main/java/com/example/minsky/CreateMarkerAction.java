package com.example.minsky;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.RemediationAction;
import dev.minsky.doctor.model.Safety;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code acme.create-marker}: writes the marker file. Safe: it cannot touch a session. Undo needs
 * no code here: the plan names the file, so the fixer records it as absent before {@link #apply}
 * and {@code minsky doctor --undo} removes it again.
 */
public final class CreateMarkerAction implements RemediationAction {

    @Override
    public String id() {
        return "acme.create-marker";
    }

    @Override
    public Safety safety() {
        return Safety.SAFE;
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        Path marker = Marker.of(ctx.settings());
        if (Files.exists(marker)) {
            return ActionPlan.notApplicable(marker + " exists already");
        }
        if (!Files.isDirectory(marker.getParent())) {
            return ActionPlan.notApplicable("there is no state directory " + marker.getParent() + " yet");
        }
        return ActionPlan.builder().change("create " + marker + " (one line: 'acme')").file(marker)
                .param("marker", marker).build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        Path marker = Path.of(plan.param("marker"));
        try {
            Files.writeString(marker, "acme\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot write " + marker + ": " + e.getMessage(),
                    "check that minsky's state directory is writable");
        }
        return Applied.of("created " + marker);
    }
}
