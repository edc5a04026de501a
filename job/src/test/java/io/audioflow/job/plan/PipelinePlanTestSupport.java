package io.audioflow.job.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Variants of the default pipeline that the plan tests compare with it. */
public final class PipelinePlanTestSupport {

    public static final Path DEFAULT = Path.of("../config/pipeline.yaml");

    private PipelinePlanTestSupport() {}

    /** The default pipeline with {@code from} replaced by {@code to}. */
    public static Path variant(Path dir, String name, String from, String to) throws IOException {
        String text = Files.readString(DEFAULT);
        assertThat(text).contains(from);
        return Files.writeString(dir.resolve(name + ".yaml"), text.replace(from, to));
    }

    /** The default pipeline without its pitch stage (and the decision's dependency on it). */
    public static Path withoutPitch(Path dir) throws IOException {
        String text =
                Files.readString(DEFAULT)
                        .replace(
                                """
                                  - name: pitch
                                    processor: pitch@^1.0
                                    dependencies: [preprocess]
                                    error_handling: skip
                                """,
                                "")
                        .replace(
                                "dependencies: [temporal, loudness, vad, spectral, snr, pitch]",
                                "dependencies: [temporal, loudness, vad, spectral, snr]");
        assertThat(text).doesNotContain("name: pitch");
        return Files.writeString(dir.resolve("no-pitch.yaml"), text);
    }
}
