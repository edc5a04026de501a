package io.audioflow.api;

import java.util.List;

public record Decision(Verdict verdict, List<Reason> reasons) {

    public Decision {
        reasons = List.copyOf(reasons);
    }

    public static Decision accept() {
        return new Decision(Verdict.ACCEPT, List.of());
    }
}
