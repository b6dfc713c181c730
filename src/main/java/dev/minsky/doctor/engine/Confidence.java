package dev.minsky.doctor.engine;

import java.util.Collection;

/**
 * How evidence combines into a confidence: independent pieces of support combine like a
 * noisy-OR (each closes part of the remaining doubt), and each piece against takes away its share
 * of what is left. So two weak signs beat one, a strong counter-sign sinks a cause, and no number
 * of signs reaches certainty.
 */
public final class Confidence {
    private Confidence() {}

    public static double combine(double prior, Collection<?> hits) {
        double doubt = 1.0 - prior;
        double keep = 1.0;
        for (Object o : hits) {
            EvidenceHit h = (EvidenceHit) o;
            double w = Math.max(0.0, Math.min(1.0, h.getWeight()));
            if (h.isSupports()) {
                doubt *= 1.0 - w;
            } else {
                keep *= 1.0 - w;
            }
        }
        double c = (1.0 - doubt) * keep;
        return Math.round(c * 1000) / 1000.0;
    }
}
