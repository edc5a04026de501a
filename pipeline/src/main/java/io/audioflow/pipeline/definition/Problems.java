package io.audioflow.pipeline.definition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem in a pipeline so the user sees them all at once, in file order. */
public final class Problems {

    private final List<Problem> list = new ArrayList<>();

    public void error(SourcePosition at, String message, String fix) {
        list.add(new Problem(Problem.Severity.ERROR, at, message, fix));
    }

    public void warning(SourcePosition at, String message, String fix) {
        list.add(new Problem(Problem.Severity.WARNING, at, message, fix));
    }

    public boolean hasErrors() {
        return list.stream().anyMatch(p -> p.severity() == Problem.Severity.ERROR);
    }

    public List<Problem> all() {
        return list.stream()
                .sorted(
                        Comparator.comparingInt((Problem p) -> p.at().line())
                                .thenComparingInt(p -> p.at().column()))
                .toList();
    }

    public List<Problem> errors() {
        return all().stream().filter(p -> p.severity() == Problem.Severity.ERROR).toList();
    }

    public List<Problem> warnings() {
        return all().stream().filter(p -> p.severity() == Problem.Severity.WARNING).toList();
    }
}
