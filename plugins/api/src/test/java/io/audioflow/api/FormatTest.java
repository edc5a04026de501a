package io.audioflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FormatTest {

    @Test
    void aFixedRequirementIsNotSatisfiedByAFormatThatVaries() {
        FormatRequirement mono16k = FormatRequirement.of(16_000, 1);
        assertThat(StreamFormat.VARIES.satisfies(mono16k)).isFalse();
        assertThat(new StreamFormat(16_000, 1).satisfies(mono16k)).isTrue();
        assertThat(new StreamFormat(44_100, 2).satisfies(mono16k)).isFalse();
        assertThat(StreamFormat.VARIES.satisfies(FormatRequirement.ANY)).isTrue();
    }

    @Test
    void requirementsAcceptConcreteFormats() {
        assertThat(FormatRequirement.of(16_000, 1).accepts(new AudioFormat(16_000, 1))).isTrue();
        assertThat(FormatRequirement.of(16_000, 1).accepts(new AudioFormat(16_000, 2))).isFalse();
        assertThat(FormatRequirement.ANY.accepts(new AudioFormat(8_000, 6))).isTrue();
    }

    @Test
    void blocksRefuseSampleCountsThatAreNotWholeFrames() {
        assertThatThrownBy(() -> new AudioBlock(new AudioFormat(16_000, 2), 0, new float[3]))
                .hasMessageContaining("not a multiple of 2 channels");
        assertThat(new AudioBlock(new AudioFormat(16_000, 2), 0, new float[4]).frames())
                .isEqualTo(2);
    }

    @Test
    void formatsRefuseImpossibleValues() {
        assertThatThrownBy(() -> new AudioFormat(0, 1)).hasMessageContaining("sample rate");
        assertThatThrownBy(() -> new AudioFormat(8_000, 0)).hasMessageContaining("channel");
    }
}
