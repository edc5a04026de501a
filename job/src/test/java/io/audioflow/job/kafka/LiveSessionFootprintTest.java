package io.audioflow.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.api.AudioAnalyzer;
import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.AudioProcessor;
import io.audioflow.api.FrameTrack;
import io.audioflow.api.StageKind;
import io.audioflow.pipeline.definition.Located;
import io.audioflow.pipeline.definition.ResolvedStage;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What one open recording keeps on the heap in each stage of the default pipeline, now that the
 * heap state backend keeps sessions live between chunks: a session that kept its scratch would
 * multiply the heap that many open recordings need (10 000 open ran a TaskManager with a 1.1 GiB
 * heap out of memory before the stages let go of theirs).
 */
class LiveSessionFootprintTest {

    private static final int SESSIONS = 400;

    /** What the stages right after the decoder get: the producers' CD-quality stereo. */
    private static final AudioFormat DECODED = new AudioFormat(44_100, 2);

    /** What the speech stages get, after {@code preprocess}. */
    private static final AudioFormat SPEECH = new AudioFormat(16_000, 1);

    /**
     * A live session may keep its state, not its scratch. The largest is pitch's, 7 KB: YIN's frame
     * buffer and the decimator's history. Scratch sized to a piece of a block is 30 KB and more;
     * loudness's gating histograms kept all 1 000 bins, 24 KB, before they kept only those reached.
     */
    private static final long MAX_BYTES = 12 * 1024;

    @Test
    void aLiveSessionOfEveryDefaultStageKeepsItsStateNotItsScratch() {
        ValidatedPipeline pipeline = KafkaFixture.defaultPipeline();
        Map<String, ResolvedStage> byName = new LinkedHashMap<>();
        pipeline.stages().forEach(s -> byName.put(s.name(), s));
        Map<String, Long> perSession = new LinkedHashMap<>();
        for (ResolvedStage stage : pipeline.stages()) {
            StageKind kind = stage.spec().kind();
            if (kind != StageKind.ANALYZER && kind != StageKind.PROCESSOR) continue;
            List<String> upstream =
                    stage.definition().dependencies().stream().map(Located::value).toList();
            AudioFormat format = upstream.contains("decode") ? DECODED : SPEECH;
            ResolvedStage labeller =
                    upstream.stream()
                            .map(byName::get)
                            .filter(s -> s.spec().kind() == StageKind.ANALYZER)
                            .findFirst()
                            .orElse(null);
            perSession.put(stage.name(), bytesPerSession(stage, labeller, format));
        }
        System.out.println("live session per open recording, bytes: " + perSession);
        assertThat(perSession)
                .allSatisfy((stage, bytes) -> assertThat(bytes).as(stage).isLessThan(MAX_BYTES));
    }

    /**
     * The heap that {@link #SESSIONS} sessions of the stage keep after one second of noise each.
     *
     * @param labeller the analyzer upstream whose frame products the stage reads, or null
     */
    private static long bytesPerSession(
            ResolvedStage stage, ResolvedStage labeller, AudioFormat format) {
        float[] noise = new float[format.sampleRate() * format.channels()];
        Random random = new Random(20);
        for (int i = 0; i < noise.length; i++) noise[i] = (random.nextFloat() - 0.5f) * 0.6f;
        AudioBlock block = new AudioBlock(format, 0, noise);
        if (labeller != null) {
            AudioAnalyzer.Accumulator labels =
                    analyzer(labeller).open(format, labeller.spec().context());
            labels.accept(block);
            List<FrameTrack> tracks = labels.tracks();
            block = new AudioBlock(format, 0, noise, tracks);
        }
        List<Object> kept = new ArrayList<>(SESSIONS);
        long before = heapAfterGc();
        for (int i = 0; i < SESSIONS; i++) kept.add(openAndFeed(stage, format, block));
        long after = heapAfterGc();
        assertThat(kept).hasSize(SESSIONS);
        return (after - before) / SESSIONS;
    }

    private static Object openAndFeed(ResolvedStage stage, AudioFormat format, AudioBlock block) {
        if (stage.spec().kind() == StageKind.ANALYZER) {
            AudioAnalyzer.Accumulator acc = analyzer(stage).open(format, stage.spec().context());
            acc.accept(block);
            acc.tracks();
            return acc;
        }
        AudioProcessor.ProcessorSession session =
                ((AudioProcessor) stage.plugin().plugin()).open(format, stage.spec().context());
        session.process(block, out -> {});
        return session;
    }

    private static AudioAnalyzer analyzer(ResolvedStage stage) {
        return (AudioAnalyzer) stage.plugin().plugin();
    }

    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
