package dev.minsky.doctor.model;

/**
 * A playbook that did not validate and was skipped.
 *
 * @param file where it came from
 * @param line 1-based line of the problem, 0 when unknown
 * @param field the path of the field, e.g. {@code causes[2].remediations[0].safety} (may be empty)
 * @param message what is wrong
 */
public record PlaybookError(String file, int line, String field, String message) {
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + (field == null || field.isEmpty() ? "" : ": " + field) + ": " + message;
    }
}
