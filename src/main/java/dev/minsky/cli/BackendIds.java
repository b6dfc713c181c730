package dev.minsky.cli;

import dev.minsky.store.Stores;
import java.util.Iterator;

/**
 * The backend ids that can be named (built-in ones first, then plugin jars'), as picocli's completion
 * candidates: help texts say {@code ${COMPLETION-CANDIDATES}} and shells complete them, so the command
 * line names no backend itself.
 */
public final class BackendIds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Stores.ids().iterator();
    }
}
