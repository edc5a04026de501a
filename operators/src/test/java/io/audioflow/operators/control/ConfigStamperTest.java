package io.audioflow.operators.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.api.SemVer;
import io.audioflow.api.StageKind;
import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.operators.model.ErrorPolicy;
import io.audioflow.operators.model.PipelineVersion;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ConfigStamperTest {

    private static final StageSpec DECISION =
            StageSpec.of(
                    "decision",
                    StageKind.DECISION,
                    "rules",
                    SemVer.parse("1.0.0"),
                    Map.of("rules", List.of(Map.of("name", "r", "below", 0))),
                    ErrorPolicy.FAIL);

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, EncodedChunk, PipelineVersion, EncodedChunk>
            harness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(
                        new ConfigStamper("base"), List.of(ConfigStamper.CONFIG)),
                c -> c.recordingId,
                null,
                Types.STRING);
    }

    private static EncodedChunk chunk(String id) {
        return new EncodedChunk(id, 0, true, "pcm_s16le", 16_000, 1, new byte[2]);
    }

    @Test
    void stampsTheNewestVersionOfThisPipelineAndKeepsItAcrossARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement1(chunk("a"), 0);
            h.processElement2(PipelineVersion.of(3, "base", "sha3", Map.of()), 0);
            h.processElement2(PipelineVersion.of(2, "base", "sha2", Map.of()), 0); // late, older
            h.processElement2(PipelineVersion.of(9, "other", "sha9", Map.of()), 0); // another file
            h.processElement1(chunk("b"), 0);
            assertThat(h.extractOutputValues())
                    .extracting(c -> c.config == null ? 1 : c.config.version())
                    .containsExactly(1L, 3L);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement1(chunk("c"), 0);
            assertThat(h.extractOutputValues().get(0).config.configSha256()).isEqualTo("sha3");
        }
    }

    @Test
    void theVersionTravelsAsAPojoAndItsStagesComeBackWhole() throws Exception {
        for (Class<?> carrier : List.of(EncodedChunk.class, AudioChunk.class, StageResult.class)) {
            var info = (PojoTypeInfo<?>) TypeInformation.of(carrier);
            assertThat(info.getTypeAt(info.getFieldIndex("config")))
                    .as(carrier.getSimpleName() + ".config is not sent through Kryo")
                    .isInstanceOf(PojoTypeInfo.class);
        }
        PipelineVersion v = PipelineVersion.of(2, "base", "sha2", Map.of("decision", DECISION));
        TypeSerializer<PipelineVersion> serializer =
                TypeInformation.of(PipelineVersion.class)
                        .createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(v, out);
        PipelineVersion back =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.version()).isEqualTo(2);
        assertThat(back.changedStages()).containsExactly(Map.entry("decision", DECISION));
    }
}
