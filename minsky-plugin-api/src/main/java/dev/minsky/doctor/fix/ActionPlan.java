package dev.minsky.doctor.fix;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an action will change, exactly: shown by {@code --dry-run} and before applying, and kept in
 * the journal.
 *
 * @param applicable false when the action cannot help in this state ({@code reason} says why)
 * @param reason why it is not applicable, or null
 * @param changes the exact changes, one line each (files, SQL, config lines)
 * @param files paths whose content and mode the journal copies first and restores on undo (a path
 *     that does not exist yet is recorded as absent: undo removes it again)
 * @param modes paths whose permissions only are recorded and restored (content may be unreadable)
 * @param changesRecords true when session records change: a verified backup is taken first
 * @param keepsSessions true when the action promises not to lose a session: fewer afterwards rolls it back
 * @param params what {@link RemediationAction#apply} and {@link RemediationAction#undo} need, kept in the journal
 */
public record ActionPlan(boolean applicable, String reason, List<String> changes, List<Path> files, List<Path> modes,
                         boolean changesRecords, boolean keepsSessions, Map<String, String> params) {

    public ActionPlan {
        changes = List.copyOf(changes);
        files = List.copyOf(files);
        modes = List.copyOf(modes);
        params = Map.copyOf(params);
    }

    public static ActionPlan notApplicable(String reason) {
        return new ActionPlan(false, reason, List.of(), List.of(), List.of(), false, true, Map.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    public String param(String key) {
        return params.get(key);
    }

    /** Builds an applicable plan. */
    public static final class Builder {
        private final List<String> changes = new ArrayList<>();
        private final List<Path> files = new ArrayList<>();
        private final List<Path> modes = new ArrayList<>();
        private final Map<String, String> params = new LinkedHashMap<>();
        private boolean changesRecords;
        private boolean keepsSessions = true;

        public Builder change(String line) {
            changes.add(line);
            return this;
        }

        public Builder file(Path p) {
            if (!files.contains(p)) {
                files.add(p);
            }
            return this;
        }

        public Builder files(List<Path> ps) {
            ps.forEach(this::file);
            return this;
        }

        public Builder mode(Path p) {
            if (!modes.contains(p)) {
                modes.add(p);
            }
            return this;
        }

        public Builder changesRecords() {
            this.changesRecords = true;
            return this;
        }

        public Builder removesSessions() {
            this.keepsSessions = false;
            return this;
        }

        public Builder param(String k, Object v) {
            if (v != null) {
                params.put(k, v.toString());
            }
            return this;
        }

        public ActionPlan build() {
            return new ActionPlan(true, null, changes, files, modes, changesRecords, keepsSessions, params);
        }
    }
}
