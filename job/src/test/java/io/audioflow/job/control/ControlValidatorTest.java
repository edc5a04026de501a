package io.audioflow.job.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.operators.model.PipelineVersion;
import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.Problems;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ControlValidatorTest {

    private static ValidatedPipeline load(String yaml) {
        return new PipelineLoader(PluginRegistry.builtIn(), Map.of())
                .load(yaml.getBytes(), "pipeline.yaml", new Problems())
                .pipeline()
                .orElseThrow();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, PipelineVersion> harness(
            ValidatedPipeline pipeline) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ControlValidator(pipeline)),
                m -> ControlValidator.KEY,
                Types.STRING);
    }

    private static List<ControlAck> acks(
            KeyedOneInputStreamOperatorTestHarness<String, String, PipelineVersion> h) {
        return acks(h, ControlValidator.ACKS);
    }

    private static List<ControlAck> acks(
            KeyedOneInputStreamOperatorTestHarness<String, String, PipelineVersion> h,
            org.apache.flink.util.OutputTag<String> tag) {
        var out = h.getSideOutput(tag);
        return out == null
                ? List.of()
                : out.stream()
                        .map(StreamRecord::getValue)
                        .map(
                                json -> {
                                    try {
                                        return ControlAck.parse(json);
                                    } catch (Exception e) {
                                        throw new AssertionError(json, e);
                                    }
                                })
                        .toList();
    }

    @Test
    void acceptsValidUpdatesInOrderRejectsTheRestAndRemembersAcrossARestore() throws Exception {
        String yaml = Files.readString(Path.of("../config/pipeline.yaml"));
        ValidatedPipeline submitted = load(yaml);
        OperatorSubtaskState snapshot;
        try (var h = harness(submitted)) {
            h.open();
            h.processElement(
                    ControlUpdate.set("a", "decision", Map.of("rules.noisy.below", 15)).toJson(),
                    0);
            h.processElement(
                    ControlUpdate.set("b", "pitch", Map.of("threshold", "high")).toJson(), 0);
            h.processElement(
                    ControlUpdate.swap("c", "snr", "no-such-plugin@^1.0", Map.of()).toJson(), 0);
            h.processElement("{oops", 0);
            // Acceptances wait for the stampers (AckWhenApplied); rejections go out at once.
            assertThat(acks(h, ControlValidator.ACCEPTED))
                    .extracting(a -> a.id() + ":" + a.status() + ":" + a.configVersion())
                    .containsExactly("a:ACCEPTED:2");
            assertThat(acks(h))
                    .extracting(a -> a.id() + ":" + a.status() + ":" + a.configVersion())
                    .containsExactly("b:REJECTED:2", "c:REJECTED:2", "null:REJECTED:2");
            assertThat(acks(h).get(0).problems().get(0)).contains("threshold");
            assertThat(acks(h).get(1).problems().get(0)).contains("no-such-plugin");
            PipelineVersion v2 = h.extractOutputValues().get(0);
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(v2.baseConfigSha256()).isEqualTo(submitted.configSha256());
            assertThat(v2.configSha256()).isNotEqualTo(submitted.configSha256());
            assertThat(v2.changedStages()).containsOnlyKeys("decision");
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(submitted)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(
                    ControlUpdate.set("d", "decision", Map.of("rules.too_quiet.below", -45))
                            .toJson(),
                    0);
            PipelineVersion v3 = h.extractOutputValues().get(0);
            assertThat(v3.version()).isEqualTo(3);
            // Both updates are in effect: d was validated on top of a.
            assertThat(v3.changedStages().get("decision").config().toString())
                    .contains("below=15", "below=-45");
        }
        // Resubmitted with another file: the file is the truth, versions count from 1 again.
        ValidatedPipeline edited =
                load(yaml.replace("below: 10, verdict: reject", "below: 12, verdict: reject"));
        try (var h = harness(edited)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(
                    ControlUpdate.set("e", "decision", Map.of("rules.too_quiet.below", -45))
                            .toJson(),
                    0);
            PipelineVersion v = h.extractOutputValues().get(0);
            assertThat(v.version()).isEqualTo(2);
            assertThat(v.changedStages().get("decision").config().toString())
                    .contains("below=12")
                    .doesNotContain("below=15");
        }
    }
}
