package io.audioflow.job.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audioflow plan}, one pair of pipelines per outcome: a threshold change is safe (and shows
 * as a contract change), a dropped stage needs {@code --allow-non-restored-state}, a stage whose
 * uid now runs another plugin cannot be restored; {@code --format json} says the same for CI.
 */
class PipelinePlanTest {

    private static final Path DEFAULT = PipelinePlanTestSupport.DEFAULT;
    private static final CliRunner CLI = CliRunner.withEnv(Map.of());

    @TempDir Path dir;

    private static Path variant(Path dir, String name, String from, String to) throws Exception {
        return PipelinePlanTestSupport.variant(dir, name, from, to);
    }

    private static Path withoutPitch(Path dir) throws Exception {
        return PipelinePlanTestSupport.withoutPitch(dir);
    }

    @Test
    void aMovedThresholdAndANewStageAreSafeAndShowAsContractChanges() throws Exception {
        Path changed =
                variant(
                        dir,
                        "changed",
                        "{name: too_quiet, metric: temporal.rms_dbfs, below: -50,",
                        "{name: too_quiet, metric: temporal.rms_dbfs, below: -55,");
        String withLevels =
                Files.readString(changed)
                        .replace(
                                "  - name: snr\n",
                                "  - name: levels\n    processor: temporal\n    dependencies: [decode]\n\n  - name: snr\n");
        Files.writeString(changed, withLevels);

        CliRunner.Run run = CLI.run("plan", DEFAULT.toString(), changed.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("operators added (start empty):\n  audioflow-stage-levels (levels")
                .contains("result contract: metrics added:\n  levels.clipping_ratio")
                .contains("changed `too_quiet`:", "below=-50", "below=-55")
                .contains("safe: every operator's state restores (exit 0)")
                .doesNotContain("state that would be dropped");
    }

    @Test
    void aDroppedStageNeedsAllowNonRestoredState() throws Exception {
        CliRunner.Run run = CLI.run("plan", DEFAULT.toString(), withoutPitch(dir).toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out())
                .contains("operators dropped:\n  audioflow-stage-pitch (pitch [pitch@")
                .contains("state that would be dropped:\n  audioflow-stage-pitch")
                .contains("restore with --allow-non-restored-state, or keep it by giving the")
                .contains("result contract: metrics removed:\n  pitch.median_hz")
                .contains("safe only with --allow-non-restored-state");
    }

    @Test
    void aRenameWithTheOldUidKeepsTheState() throws Exception {
        Path renamed =
                variant(
                        dir,
                        "renamed",
                        "  - name: pitch\n    processor: pitch@^1.0\n",
                        "  - name: f0\n    uid: pitch\n    processor: pitch@^1.0\n");
        Files.writeString(
                renamed,
                Files.readString(renamed).replace("spectral, snr, pitch]", "spectral, snr, f0]"));
        CliRunner.Run run = CLI.run("plan", DEFAULT.toString(), renamed.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("audioflow-stage-pitch (f0 [pitch@")
                .contains("metrics added:\n  f0.median_hz")
                .contains("metrics removed:\n  pitch.median_hz");
    }

    @Test
    void aUidThatNowRunsAnotherPluginCannotBeRestored() throws Exception {
        Path swapped =
                variant(
                        dir,
                        "swapped",
                        "  - name: pitch\n    processor: pitch@^1.0\n",
                        "  - name: pitch\n    processor: temporal\n");
        CliRunner.Run run = CLI.run("plan", DEFAULT.toString(), swapped.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.out())
                .contains("state that cannot be restored:")
                .contains("stage `pitch` (uid audioflow-stage-pitch) runs temporal@")
                .contains("where the savepoint's sessions are pitch@")
                .contains("incompatible: some state cannot be restored");
    }

    @Test
    void jsonSaysTheSameForCi() throws Exception {
        CliRunner.Run run =
                CLI.run(
                        "plan",
                        DEFAULT.toString(),
                        withoutPitch(dir).toString(),
                        "--format",
                        "json");
        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("outcome").asText()).isEqualTo("needs_allow_non_restored_state");
        assertThat(json.path("exit_code").asInt()).isEqualTo(1);
        assertThat(json.path("stateDropped").get(0).asText()).startsWith("audioflow-stage-pitch");
        assertThat(json.path("contract").path("metricsRemoved").toString())
                .contains("pitch.median_hz");
    }

    @Test
    void anInvalidPipelineCannotBePlanned() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "name: x\nstages: 3\n");
        CliRunner.Run run = CLI.run("plan", DEFAULT.toString(), broken.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("broken.yaml:");
    }
}
