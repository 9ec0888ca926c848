package dev.cairn.broker.crash;

import dev.cairn.broker.codec.QoS;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/** The checks of the promise over what publishers were told and what subscribers got. */
final class Ledger {
    private static final int SHOWN_MAX = 20;

    private Ledger() {}

    /**
     * Every acknowledged QoS 1 id arrived at least once, every acknowledged QoS 2 id exactly once,
     * no QoS 2 id more than once, and nothing arrived that was never published. Returns the
     * violations, empty if the promise held.
     */
    static List<String> check(
            Set<String> published,
            Set<String> acknowledged,
            Function<String, QoS> qosOf,
            Collection<String> received,
            ToIntFunction<String> countOf) {
        List<String> problems = new ArrayList<>();
        Set<String> lost = new TreeSet<>();
        Set<String> duplicatedQos2 = new TreeSet<>();
        for (String id : acknowledged) {
            int n = countOf.applyAsInt(id);
            if (n == 0) {
                lost.add(id + "(QoS " + qosOf.apply(id).value() + ")");
            }
        }
        Set<String> invented = new TreeSet<>();
        for (String id : received) {
            if (!published.contains(id)) {
                invented.add(id);
            } else if (qosOf.apply(id) == QoS.EXACTLY_ONCE && countOf.applyAsInt(id) > 1) {
                duplicatedQos2.add(id + " x" + countOf.applyAsInt(id));
            }
        }
        if (!lost.isEmpty()) {
            problems.add(
                    lost.size() + " of " + acknowledged.size() + " acknowledged ids never arrived: " + first(lost));
        }
        if (!duplicatedQos2.isEmpty()) {
            problems.add(duplicatedQos2.size() + " QoS 2 ids arrived more than once: " + first(duplicatedQos2));
        }
        if (!invented.isEmpty()) {
            problems.add(invented.size() + " ids arrived that were never published: " + first(invented));
        }
        return problems;
    }

    private static String first(Set<String> ids) {
        List<String> shown = new ArrayList<>();
        for (String id : ids) {
            if (shown.size() == SHOWN_MAX) {
                shown.add("...");
                break;
            }
            shown.add(id);
        }
        return shown.toString();
    }
}
