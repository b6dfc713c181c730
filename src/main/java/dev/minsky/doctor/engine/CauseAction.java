package dev.minsky.doctor.engine;

/**
 * An action named for a cause, with its safety class: what a playbook's remediation and a step of
 * a cause's plan both are. The rules match on these fields by their getters, so the subclasses stay
 * plain classes rather than records.
 */
public abstract class CauseAction {
    private final String cause;
    private final String action;
    private final String safety;

    /** @param safety the safety class as the JSON document spells it ({@code safe}, {@code reversible}, ...) */
    protected CauseAction(String cause, String action, String safety) {
        this.cause = cause;
        this.action = action;
        this.safety = safety;
    }

    public String getCause() {
        return cause;
    }

    public String getAction() {
        return action;
    }

    public String getSafety() {
        return safety;
    }
}
