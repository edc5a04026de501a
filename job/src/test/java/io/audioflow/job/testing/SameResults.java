package io.audioflow.job.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;

/** Comparisons of result JSON between two ways of computing it. */
public final class SameResults {

    private SameResults() {}

    /**
     * The same metric keys with the same values, to rounding: sums run in a different order when
     * blocks are cut differently.
     */
    public static void assertSameMetrics(String id, JsonNode got, JsonNode expected) {
        assertThat(got.size()).as(id).isEqualTo(expected.size());
        expected.fields()
                .forEachRemaining(
                        m -> {
                            JsonNode value = got.path(m.getKey());
                            String what = id + " " + m.getKey();
                            if (m.getValue().isNull()) {
                                assertThat(value.isNull()).as(what).isTrue();
                                return;
                            }
                            double want = m.getValue().asDouble();
                            assertThat(value.asDouble())
                                    .as(what)
                                    .isCloseTo(want, within(1e-9 * Math.max(1, Math.abs(want))));
                        });
    }
}
