package io.audioflow.operators.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorPolicyTest {

    /**
     * Every pipeline's config digest covers this text: it must stay what the generated record
     * method wrote when the digests were first made.
     */
    @Test
    void theTextDigestsCoverIsTheGeneratedRecordsOne() {
        assertThat(new ErrorPolicy(ErrorPolicy.Mode.RETRY, 3, 100, "x"))
                .hasToString("ErrorPolicy[mode=RETRY, attempts=3, backoffMillis=100, fallback=x]");
        assertThat(ErrorPolicy.FAIL)
                .hasToString("ErrorPolicy[mode=FAIL, attempts=1, backoffMillis=0, fallback=null]");
    }
}
