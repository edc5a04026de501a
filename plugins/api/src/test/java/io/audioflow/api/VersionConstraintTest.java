package io.audioflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionConstraintTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "*, 0.0.1, true",
        "^1.2, 1.2.0, true",
        "^1.2, 1.9.3, true",
        "^1.2, 2.0.0, false",
        "^1.2, 1.1.9, false",
        "^0.3, 0.3.5, true",
        "^0.3, 0.4.0, false",
        "~1.2, 1.2.9, true",
        "~1.2, 1.3.0, false",
        "'>=1.2 <2', 1.5.0, true",
        "'>=1.2 <2', 2.0.0, false",
        "'>=1.2 <2', 1.1.0, false",
        ">1.0, 1.0.0, false",
        "<=2.0, 2.0.0, true",
        "1.2.3, 1.2.3, true",
        "=1.2.3, 1.2.4, false",
    })
    void matchesLikeNpmRanges(String constraint, String version, boolean expected) {
        assertThat(VersionConstraint.parse(constraint).matches(SemVer.parse(version)))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"'^x'", "'>=a.b'", "' '"})
    void rejectsMalformedConstraintsAtParseTime(String constraint) {
        assertThatThrownBy(() -> VersionConstraint.parse(constraint))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
