package dev.minsky.store;

/**
 * What {@link SessionStore#list} returns: records ordered by createdAt then name.
 *
 * @param taskId only sessions of this task, or null for all
 * @param limit at most this many, or null for all
 * @param offset skip this many first
 */
public record SessionQuery(String taskId, Integer limit, int offset) {
    public static final SessionQuery ALL = new SessionQuery(null, null, 0);
}
