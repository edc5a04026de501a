package io.audioflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SemVerTest {

    @Test
    void parsesPartialVersionsWithZeroes() {
        assertThat(SemVer.parse("2")).isEqualTo(SemVer.of(2, 0, 0));
        assertThat(SemVer.parse("1.4")).isEqualTo(SemVer.of(1, 4, 0));
        assertThat(SemVer.parse("1.4.7-rc.1").preRelease()).isEqualTo("rc.1");
    }

    @Test
    void ordersNumericallyAndPreReleasesFirst() {
        assertThat(SemVer.parse("1.10.0")).isGreaterThan(SemVer.parse("1.9.9"));
        assertThat(SemVer.parse("1.0.0-rc.1")).isLessThan(SemVer.parse("1.0.0"));
        assertThat(SemVer.parse("2.0.0")).isGreaterThan(SemVer.parse("1.99.99"));
    }

    @Test
    void rejectsTextThatIsNotAVersionWithAnExample() {
        assertThatThrownBy(() -> SemVer.parse("one"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`one` is not a semantic version")
                .hasMessageContaining("e.g. 1.2.0");
    }

    /** Equal versions are equal whatever their spelling; hashes are the generated record's. */
    @Test
    void equalityAndHashesAreThoseOfTheGeneratedRecordMethods() {
        assertThat(SemVer.parse("1.2"))
                .isEqualTo(SemVer.of(1, 2, 0))
                .hasSameHashCodeAs(SemVer.of(1, 2, 0));
        assertThat(SemVer.parse("1.2.0-rc.1")).isNotEqualTo(SemVer.of(1, 2, 0));
        assertThat(SemVer.of(1, 2, 3)).isNotEqualTo(SemVer.of(1, 3, 2)).isNotEqualTo("1.2.3");
        assertThat(SemVer.of(1, 2, 3).hashCode()).isEqualTo(31806);
        assertThat(SemVer.parse("2.0.1-rc.1").hashCode()).isEqualTo(3552401);
    }
}
