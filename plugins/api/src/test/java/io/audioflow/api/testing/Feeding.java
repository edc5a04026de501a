package io.audioflow.api.testing;

import io.audioflow.api.AudioAnalyzer;
import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.AudioProcessor;
import io.audioflow.api.QualityMetric;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.StagePlugin;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds audio to stages the way the job does (in blocks, with state written and read back between
 * blocks), so plugin tests check the properties the job depends on: chunking invariance and state
 * that survives a checkpoint.
 */
public final class Feeding {

    private Feeding() {}

    /** Metrics after feeding {@code samples} in blocks of {@code blockFrames} frames. */
    public static Map<String, Double> analyze(
            AudioAnalyzer analyzer,
            AudioFormat format,
            StageConfig config,
            float[] samples,
            int blockFrames,
            boolean checkpointBetweenBlocks) {
        StageContext context =
                StageContext.of(
                        "test",
                        StageConfig.withDefaults(config.asMap(), analyzer.info().options()));
        AudioAnalyzer.Accumulator acc = analyzer.open(format, context);
        int step = Math.max(1, blockFrames) * format.channels();
        for (int offset = 0; offset < samples.length; offset += step) {
            float[] block =
                    Arrays.copyOfRange(samples, offset, Math.min(samples.length, offset + step));
            acc.accept(new AudioBlock(format, offset / format.channels(), block));
            if (checkpointBetweenBlocks) {
                acc = restore(analyzer, format, context, acc);
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (QualityMetric m : acc.result()) metrics.put(m.name(), m.value());
        return metrics;
    }

    /**
     * Metrics of {@code consumer} fed as the job feeds a stage that depends on an analyzer with
     * products: each block goes to {@code producer} first and then, with the tracks it completed,
     * to {@code consumer}; both states are written and read back between blocks when asked.
     */
    public static Map<String, Double> analyzeDownstream(
            AudioAnalyzer producer,
            StageConfig producerConfig,
            AudioAnalyzer consumer,
            StageConfig consumerConfig,
            AudioFormat format,
            float[] samples,
            int blockFrames,
            boolean checkpointBetweenBlocks) {
        StageContext pc =
                StageContext.of(
                        "producer",
                        StageConfig.withDefaults(
                                producerConfig.asMap(), producer.info().options()));
        StageContext cc =
                StageContext.of(
                        "consumer",
                        StageConfig.withDefaults(
                                consumerConfig.asMap(), consumer.info().options()));
        AudioAnalyzer.Accumulator p = producer.open(format, pc);
        AudioAnalyzer.Accumulator c = consumer.open(format, cc);
        int step = Math.max(1, blockFrames) * format.channels();
        for (int offset = 0; offset < samples.length; offset += step) {
            float[] block =
                    Arrays.copyOfRange(samples, offset, Math.min(samples.length, offset + step));
            long start = offset / format.channels();
            p.accept(new AudioBlock(format, start, block));
            c.accept(new AudioBlock(format, start, block, p.tracks()));
            if (checkpointBetweenBlocks) {
                p = restore(producer, format, pc, p);
                c = restore(consumer, format, cc, c);
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (QualityMetric m : c.result()) metrics.put(m.name(), m.value());
        return metrics;
    }

    /**
     * {@link AudioAnalyzer.Accumulator#progress()} after each of {@code blocks}, fed in turn, and
     * the result at the end under the key {@code "result"}.
     */
    public static List<Map<String, Double>> progress(
            AudioAnalyzer analyzer, AudioFormat format, List<float[]> blocks) {
        StageContext context =
                StageContext.of(
                        "test", StageConfig.withDefaults(Map.of(), analyzer.info().options()));
        AudioAnalyzer.Accumulator acc = analyzer.open(format, context);
        List<Map<String, Double>> after = new ArrayList<>();
        long frame = 0;
        for (float[] block : blocks) {
            acc.accept(new AudioBlock(format, frame, block));
            frame += block.length / format.channels();
            Map<String, Double> now = new LinkedHashMap<>();
            for (QualityMetric m : acc.progress()) now.put(m.name(), m.value());
            after.add(now);
        }
        Map<String, Double> result = new LinkedHashMap<>();
        for (QualityMetric m : acc.result()) result.put(m.name(), m.value());
        after.add(result);
        return after;
    }

    /**
     * What a processor made of a recording fed in blocks, writing and reading its state between
     * them, then finished.
     *
     * @param contiguous each output block started where the one before ended, from frame 0
     */
    public record Processed(float[] samples, Map<String, String> changes, boolean contiguous) {}

    public static Processed process(
            AudioProcessor processor,
            AudioFormat format,
            StageContext context,
            float[] samples,
            int blockFrames) {
        AudioProcessor.ProcessorSession session = processor.open(format, context);
        List<AudioBlock> out = new ArrayList<>();
        int step = Math.max(1, blockFrames) * format.channels();
        for (int i = 0; i < samples.length; i += step) {
            float[] block = Arrays.copyOfRange(samples, i, Math.min(samples.length, i + step));
            session.process(new AudioBlock(format, i / format.channels(), block), out::add);
            ByteArrayOutputStream state = new ByteArrayOutputStream();
            try {
                session.writeTo(new DataOutputStream(state));
                session =
                        processor.restore(
                                format,
                                context,
                                new DataInputStream(new ByteArrayInputStream(state.toByteArray())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        session.finish(out::add);
        float[] all = new float[out.stream().mapToInt(b -> b.samples().length).sum()];
        int p = 0;
        boolean contiguous = true;
        for (AudioBlock b : out) {
            contiguous &= b.startFrame() == p / b.format().channels();
            System.arraycopy(b.samples(), 0, all, p, b.samples().length);
            p += b.samples().length;
        }
        return new Processed(all, session.changes(), contiguous);
    }

    /** A context with the processor's or analyzer's defaults under {@code config}. */
    public static StageContext context(StagePlugin plugin, Map<String, ?> config) {
        return StageContext.of("test", StageConfig.withDefaults(config, plugin.info().options()));
    }

    public static Map<String, Double> analyze(
            AudioAnalyzer analyzer, AudioFormat format, float[] samples) {
        return analyze(analyzer, format, StageConfig.empty(), samples, samples.length, false);
    }

    private static AudioAnalyzer.Accumulator restore(
            AudioAnalyzer analyzer,
            AudioFormat format,
            StageContext context,
            AudioAnalyzer.Accumulator acc) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            acc.writeTo(new DataOutputStream(bytes));
            return analyzer.restore(
                    format,
                    context,
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sine of the given amplitude, interleaved identically on every channel. */
    public static float[] sine(AudioFormat format, double seconds, double hz, double amplitude) {
        int frames = (int) Math.round(seconds * format.sampleRate());
        float[] out = new float[frames * format.channels()];
        for (int f = 0; f < frames; f++) {
            float v = (float) (amplitude * Math.sin(2 * Math.PI * hz * f / format.sampleRate()));
            for (int c = 0; c < format.channels(); c++) out[f * format.channels() + c] = v;
        }
        return out;
    }
}
