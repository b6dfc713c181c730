package dev.minsky.doctor.engine;

import dev.minsky.doctor.fix.Actions;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.minsky.doctor.model.Safety;
import java.util.List;

/**
 * A remediation as a playbook names it. It cannot run code: {@code action} must be one of the
 * loaded action ids ({@link Actions}: the built-in ones and those of plugin jars), with the safety
 * class that action has.
 *
 * @param when conditions that must hold for this remediation to be offered (empty: always)
 */
public record RemediationDef(String action, Safety safety, String summary, String command, String warning,
                             List<Condition> when) {

    @JsonCreator
    static RemediationDef fromYaml(@JsonProperty("action") String action, @JsonProperty("safety") String safety,
                                   @JsonProperty("summary") String summary, @JsonProperty("command") String command,
                                   @JsonProperty("warning") String warning, @JsonProperty("when") List<Condition> when) {
        if (action == null || action.isBlank()) {
            throw new IllegalArgumentException("'action' is required (one of the action ids in docs/doctor-contract.md)");
        }
        Safety declared = Actions.safetyOf(action);
        if (declared == null) {
            throw new IllegalArgumentException("unknown action '" + action + "': a playbook can only name actions that are loaded,"
                    + " built in or from a plugin jar in ~/.config/minsky/plugins/ (" + String.join(", ", Actions.ids()) + ")");
        }
        if (safety == null) {
            throw new IllegalArgumentException("'safety' is required for action '" + action + "' (it is " + declared.json() + ")");
        }
        Safety s;
        try {
            s = Safety.of(safety);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown safety class '" + safety + "' (one of safe, reversible, destructive, manual)");
        }
        if (s != declared) {
            throw new IllegalArgumentException("action '" + action + "' is " + declared.json() + ", not " + s.json());
        }
        if (summary == null || summary.isBlank()) {
            throw new IllegalArgumentException("'summary' is required for action '" + action + "'");
        }
        String w = warning;
        if (s == Safety.DESTRUCTIVE) {
            String fixed = Actions.fixedWarning(action);
            if (fixed != null) {
                // The guide's own destructive advice always carries minsky's warning, whatever a playbook says.
                w = warning == null || warning.contains(fixed) ? fixed : fixed + " " + warning;
            } else if (warning == null || warning.isBlank()) {
                throw new IllegalArgumentException("destructive action '" + action + "' needs a 'warning' saying what is lost");
            }
        }
        return new RemediationDef(action, s, summary.strip(), command == null ? null : command.strip(), w,
                when == null ? List.of() : List.copyOf(when));
    }
}
