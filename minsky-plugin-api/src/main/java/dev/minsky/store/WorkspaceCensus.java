package dev.minsky.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * The records' workspaces against one listing of the workspaces root, as the doctor counts them
 * ({@link SessionStore#workspaceCensus}).
 *
 * @param missing records whose workspace is gone
 * @param missingNames the first of those names in {@link String} order (at most the number asked for)
 * @param withRecord the names of the listing that a record of the same session name has
 * @param streamed how many records had to be handed to the caller's test one by one (the rest
 *     were counted by the store itself)
 */
public record WorkspaceCensus(long missing, List<String> missingNames, Set<String> withRecord, long streamed) {
    public WorkspaceCensus {
        missingNames = List.copyOf(missingNames);
        withRecord = Set.copyOf(withRecord);
    }

    /**
     * Whether {@code repoPath} is the usual workspace of {@code session}: exactly {@code prefix +
     * session}, the session a plain directory name (no slash, not starting with a dot, not empty).
     * Such a workspace is gone exactly when the listing has no existing entry of that name.
     */
    public static boolean usual(String prefix, String session, String repoPath) {
        return session != null && repoPath != null && plainName(session) && repoPath.length() == prefix.length() + session.length()
                && repoPath.startsWith(prefix) && repoPath.endsWith(session);
    }

    static boolean plainName(String session) {
        return !session.isEmpty() && session.indexOf('/') < 0 && !session.startsWith(".");
    }

    /**
     * What a census adds up, record by record: the one place where a record's workspace is
     * judged, so that a store that counts in its own way judges exactly as a full pass does.
     */
    public static final class Tally {
        private final String prefix;
        private final Map<String, Boolean> listing;
        private final BiPredicate<String, String> gone;
        private final int keep;
        private long missing;
        private long streamed;
        private final TreeSet<String> names = new TreeSet<>();
        private final Set<String> withRecord = new HashSet<>();

        /**
         * @param prefix the workspaces root with a trailing slash
         * @param listing the root's entries: name to whether it exists (links followed)
         * @param gone for a record whose repoPath is not the usual one: whether its workspace is gone
         * @param keep how many missing names to keep
         */
        public Tally(String prefix, Map<String, Boolean> listing, BiPredicate<String, String> gone, int keep) {
            this.prefix = prefix;
            this.listing = listing;
            this.gone = gone;
            this.keep = keep;
        }

        public String prefix() {
            return prefix;
        }

        public Map<String, Boolean> listing() {
            return listing;
        }

        public int keep() {
            return keep;
        }

        /** One record, as a full pass sees it. */
        public void record(String session, String repoPath) {
            streamed++;
            if (session != null && listing.containsKey(session)) {
                withRecord.add(session);
            }
            if (repoPath == null) {
                return;
            }
            boolean isGone = usual(prefix, session, repoPath) ? !listing.getOrDefault(session, false) : gone.test(session, repoPath);
            if (isGone) {
                missing(List.of(session == null ? "" : session), 1);
            }
        }

        /** A listing name that a record has (found by the store by key, not streamed). */
        public void hasRecord(String session) {
            withRecord.add(session);
        }

        /** {@code count} more missing workspaces, of which these names (any number, the first are kept). */
        public void missing(Collection<String> someNames, long count) {
            missing += count;
            for (String n : someNames) {
                names.add(n);
                if (names.size() > keep) {
                    names.pollLast();
                }
            }
        }

        /** The names kept so far (the smallest), to know which further ones could still be kept. */
        public int namesKept() {
            return names.size();
        }

        public WorkspaceCensus result() {
            return new WorkspaceCensus(missing, new ArrayList<>(names), withRecord, streamed);
        }
    }
}
