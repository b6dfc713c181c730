package dev.minsky.doctor.engine;

import java.util.Map;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;

/**
 * Counts the rules a session fires, by name, for the debug log. A class of its own: a listener
 * built inside {@link Engine} made the JVM load Drools' listener interface whenever it linked
 * {@code Engine}, so even a doctor that never starts Drools (a healthy store) loaded a Drools class
 * (issue 12, {@code StartupLoadsOnlyWhatItNeedsTest}).
 */
final class RuleFirings {
    private RuleFirings() {}

    static void countInto(KieSession session, Map<String, Integer> firings) {
        session.addEventListener(new DefaultAgendaEventListener() {
            @Override
            public void afterMatchFired(AfterMatchFiredEvent e) {
                firings.merge(e.getMatch().getRule().getName(), 1, Integer::sum);
            }
        });
    }
}
