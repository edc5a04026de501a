package io.audioflow.pipeline.definition;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean" help for misspelt keys and names. */
public final class Suggestions {

    private Suggestions() {}

    public static String allowedKeys(String wrong, Collection<String> allowed) {
        String list = "allowed: " + String.join(", ", allowed.stream().sorted().toList());
        return closest(wrong, allowed).map(c -> "did you mean `" + c + "`? " + list).orElse(list);
    }

    public static Optional<String> closest(String wrong, Collection<String> candidates) {
        return candidates.stream()
                .min(Comparator.comparingInt(c -> distance(wrong, c)))
                .filter(c -> distance(wrong, c) <= Math.max(2, c.length() / 3));
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
