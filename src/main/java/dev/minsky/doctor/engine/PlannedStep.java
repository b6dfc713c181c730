package dev.minsky.doctor.engine;

/**
 * A step of a cause's plan: one of its remediations, or a prerequisite the generic rules chained
 * in front of one (a backup before a reversible change, a checkpoint before a copy).
 */
public final class PlannedStep extends CauseAction {
    private final double order;
    private final String prerequisiteOf;
    private final int playbookIndex;

    /**
     * @param order position in the plan (prerequisites get a smaller one than the step they serve)
     * @param prerequisiteOf the action this step must precede, null for the playbook's own steps
     * @param playbookIndex the remediation's index in the playbook, -1 for prerequisites
     */
    public PlannedStep(String cause, String action, String safety, double order, String prerequisiteOf, int playbookIndex) {
        super(cause, action, safety);
        this.order = order;
        this.prerequisiteOf = prerequisiteOf;
        this.playbookIndex = playbookIndex;
    }

    public double getOrder() {
        return order;
    }

    public String getPrerequisiteOf() {
        return prerequisiteOf;
    }

    public int getPlaybookIndex() {
        return playbookIndex;
    }

    @Override
    public String toString() {
        return "Step(" + getCause() + " " + order + " " + getAction() + ")";
    }
}
