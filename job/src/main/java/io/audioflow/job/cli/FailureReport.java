package io.audioflow.job.cli;

import io.audioflow.operators.functions.StageOperatorException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user reads when a command fails: the outermost message, the stage operator and input
 * record it failed on when one of ours says so, then each cause down to the one that started it,
 * and where that one was thrown. Flink wraps a job's failure in exceptions whose messages say
 * nothing ("Job execution failed."); the reason is always the innermost cause, so a report that
 * stopped at the top told users nothing they could act on.
 */
record FailureReport(List<String> lines) {

    /** Enough causes for any chain seen from Flink and Kafka; more is noise. */
    private static final int MAX_CAUSES = 8;

    static FailureReport of(Throwable failure) {
        List<Throwable> chain = chain(failure);
        Throwable root = chain.get(chain.size() - 1);
        List<String> lines = new ArrayList<>();
        lines.add("error: " + text(failure));
        if (root != failure) {
            for (Throwable t : chain)
                if (t instanceof StageOperatorException inStage) {
                    lines.add("where: " + inStage.where());
                    break;
                }
            lines.add("root cause: " + root.getClass().getName() + ": " + message(root));
            StackTraceElement[] stack = root.getStackTrace();
            if (stack.length > 0) lines.add("thrown at: " + stack[0]);
            int shown = 0;
            for (Throwable t : chain.subList(1, chain.size() - 1)) {
                if (shown++ == MAX_CAUSES) {
                    lines.add("  … " + (chain.size() - 2 - MAX_CAUSES) + " more causes");
                    break;
                }
                lines.add("  via " + t.getClass().getSimpleName() + ": " + message(t));
            }
        }
        return new FailureReport(List.copyOf(lines));
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause())
            chain.add(t);
        return chain;
    }

    private static String text(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? "(no message)" : t.getMessage().strip();
    }

    @Override
    public String toString() {
        return String.join(System.lineSeparator(), lines);
    }
}
