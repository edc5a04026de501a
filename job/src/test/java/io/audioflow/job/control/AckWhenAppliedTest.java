package io.audioflow.job.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.operators.control.ConfigApplied;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AckWhenAppliedTest {

    private static String answer(long version) {
        return new ControlAck(
                        "u" + version,
                        "p",
                        ControlAck.Status.ACCEPTED,
                        "set x",
                        version,
                        "sha",
                        List.of(),
                        0)
                .toJson();
    }

    @Test
    void answersOnlyOnceEveryStamperAppliedTheVersionInWhateverOrderTheyCome() throws Exception {
        try (var h =
                new KeyedTwoInputStreamOperatorTestHarness<String, String, ConfigApplied, String>(
                        new KeyedCoProcessOperator<>(new AckWhenApplied(2)),
                        a -> ControlValidator.KEY,
                        n -> ControlValidator.KEY,
                        Types.STRING)) {
            h.open();
            h.processElement1(answer(2), 0);
            h.processElement2(new ConfigApplied(2, 0), 0);
            assertThat(h.extractOutputValues()).as("one stamper of two").isEmpty();
            h.processElement2(new ConfigApplied(3, 1), 0); // the next version, early
            h.processElement2(new ConfigApplied(2, 1), 0);
            assertThat(h.extractOutputValues()).containsExactly(answer(2));
            h.processElement2(new ConfigApplied(3, 0), 0);
            h.processElement1(answer(3), 0); // the answer after both notices
            assertThat(h.extractOutputValues()).containsExactly(answer(2), answer(3));
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }
}
