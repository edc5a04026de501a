package io.audioflow.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.operators.model.DeadLetter;
import io.audioflow.pipeline.definition.PipelineDefinition.CheckpointDefinition;
import io.audioflow.pipeline.definition.PipelineDefinition.RestartDefinition;
import io.audioflow.pipeline.runtime.FileChunks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small pieces of the streaming job that need no broker. */
class StreamingPartsTest {

    @Test
    void cutsAWavOnFrameBoundariesWithTheHeaderInTheFirstPiece() throws Exception {
        byte[] wav = Files.readAllBytes(Path.of("../test-data/audio/speechlike-44k-stereo.wav"));
        ChunkPlan plan = ChunkPlan.of(wav, "wav", 0, 0, 250);
        assertThat(plan.audioSeconds()).isEqualTo(3.0);
        assertThat(plan.pieces()).isEqualTo(12);
        int dataStart = 44;
        int piece = 44_100 / 4 * 4; // a quarter second of 16-bit stereo frames
        assertThat(plan.cuts()[0]).isEqualTo(dataStart + piece);
        for (int i = 1; i < plan.pieces(); i++)
            assertThat((plan.cuts()[i] - dataStart) % 4).as("frame boundary").isZero();
        assertThat(plan.cuts()[plan.pieces() - 1]).isEqualTo(wav.length);
    }

    @Test
    void cutsRawPcmByDurationAndCompressedAudioByBytes() throws Exception {
        byte[] pcm = new byte[16_000 * 2 * 3]; // 3 s of 16 kHz mono s16
        ChunkPlan raw = ChunkPlan.of(pcm, "pcm_s16le", 16_000, 1, 1000);
        assertThat(raw.cuts()).containsExactly(32_000, 64_000, 96_000);
        assertThat(raw.audioSeconds()).isEqualTo(3.0);
        byte[] mp3 = new byte[600 * 1024];
        ChunkPlan compressed = ChunkPlan.of(mp3, "mp3", 0, 0, 1000);
        assertThat(compressed.cuts()).containsExactly(256 * 1024, 512 * 1024, 600 * 1024);
        assertThat(compressed.audioSeconds()).as("no MPEG frame in zeros").isNaN();
        // Counted from its frames, less the Info frame and the encoder's delay and padding: as long
        // as the WAV it was encoded from, as the decoder finds it.
        Path audio = Path.of("../test-data/audio");
        double wavSeconds =
                ChunkPlan.of(
                                Files.readAllBytes(audio.resolve("sine-1k-16k-mono.wav")),
                                "wav",
                                0,
                                0,
                                1000)
                        .audioSeconds();
        byte[] sine = Files.readAllBytes(audio.resolve("sine-1k-16k-mono.mp3"));
        assertThat(ChunkPlan.of(sine, "mp3", 0, 0, 1000).audioSeconds())
                .isCloseTo(wavSeconds, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(FileChunks.formatOf("Take 3.WAV", "pcm_s16le")).isEqualTo("wav");
        assertThat(FileChunks.formatOf("x.pcm", "pcm_f32le")).isEqualTo("pcm_f32le");
    }

    @Test
    void aDeadLetterKeepsTheOriginalAndAddsTheErrorHeaders() {
        DeadLetter d = new DeadLetter();
        d.key = "rec".getBytes(StandardCharsets.UTF_8);
        d.value = new byte[] {1, 2, 3};
        d.headerKeys = new String[] {"audio.seq", "trace"};
        d.headerValues = new byte[][] {"0".getBytes(), "abc".getBytes()};
        d.code = "unknown_format";
        d.message = "no such format";
        d.stage = "ingest";
        d.topic = "audio.chunks";
        d.partition = 1;
        d.offset = 42;
        d.timestamp = 1_700_000_000_000L;
        ProducerRecord<byte[], byte[]> r =
                new DeadLetterSerializer("audio.dlq", DeadLetterBounds.defaults())
                        .serialize(d, null, 0L);
        assertThat(r.topic()).isEqualTo("audio.dlq");
        assertThat(r.key()).isEqualTo(d.key);
        assertThat(r.value()).isEqualTo(d.value);
        assertThat(Arrays.stream(r.headers().toArray()).map(h -> h.key()))
                .containsExactly(
                        "audio.seq",
                        "trace",
                        "audioflow.error.code",
                        "audioflow.error.message",
                        "audioflow.error.stage",
                        "audioflow.error.attempts",
                        "audioflow.error.orig.topic",
                        "audioflow.error.orig.partition",
                        "audioflow.error.orig.offset",
                        "audioflow.error.orig.timestamp",
                        "audioflow.error.payload.bytes",
                        "audioflow.error.payload.sha256",
                        "audioflow.error.payload.truncated");
        assertThat(new String(r.headers().lastHeader("audioflow.error.orig.offset").value()))
                .isEqualTo("42");
        assertThat(new String(r.headers().lastHeader("audioflow.error.payload.truncated").value()))
                .isEqualTo("false");
    }

    @Test
    void aDeadLetterNeverCarriesMoreThanItsBoundsWhateverTheMessage() {
        DeadLetter d = new DeadLetter();
        d.key = new byte[5_000];
        d.value = new byte[100_000];
        d.value[99_999] = 7;
        d.headerKeys = new String[] {"small", "large", "after"};
        d.headerValues = new byte[][] {new byte[10], new byte[2_000], new byte[1]};
        d.code = "oversized_value";
        d.message = "m".repeat(500);
        var bounds = new DeadLetterBounds(1_000, 100, 64, 50);
        ProducerRecord<byte[], byte[]> r =
                new DeadLetterSerializer("audio.dlq", bounds).serialize(d, null, 0L);
        assertThat(r.value()).hasSize(1_000);
        assertThat(r.key()).hasSize(64);
        assertThat(r.headers().lastHeader("small")).isNotNull();
        // Kept in order or not at all: a later header never jumps a dropped one.
        assertThat(r.headers().lastHeader("large")).isNull();
        assertThat(r.headers().lastHeader("after")).isNull();
        assertThat(text(r, "audioflow.error.headers.dropped")).isEqualTo("2");
        assertThat(text(r, "audioflow.error.key.bytes")).isEqualTo("5000");
        assertThat(text(r, "audioflow.error.payload.bytes")).isEqualTo("100000");
        assertThat(text(r, "audioflow.error.payload.truncated")).isEqualTo("true");
        assertThat(text(r, "audioflow.error.payload.sha256"))
                .hasSize(64)
                .isNotEqualTo(
                        text(
                                new DeadLetterSerializer("audio.dlq", bounds)
                                        .serialize(withValue(d, new byte[100_000]), null, 0L),
                                "audioflow.error.payload.sha256"));
        assertThat(text(r, "audioflow.error.message")).hasSize(51);
        int size = r.value().length + r.key().length;
        for (var h : r.headers()) size += h.key().length() + h.value().length;
        assertThat(size).isLessThan(bounds.producerMaxRequestBytes());
        assertThat(DeadLetterBounds.defaults().producerMaxRequestBytes())
                .as("the defaults fit Kafka's default request and message sizes")
                .isEqualTo(1024 * 1024);
    }

    private static DeadLetter withValue(DeadLetter d, byte[] value) {
        d.value = value;
        return d;
    }

    private static String text(ProducerRecord<byte[], byte[]> r, String header) {
        return new String(r.headers().lastHeader(header).value(), StandardCharsets.UTF_8);
    }

    @Test
    void executionSettingsBecomeFlinkConfiguration() {
        var settings =
                ExecutionSettings.of(
                                new CheckpointDefinition(
                                        10_000, "exactly_once", "/tmp/cp", "rocksdb"))
                        .withCheckpointInterval(2_000)
                        .withRestarts(new RestartDefinition(5, 500, 30_000, 120_000))
                        .restoringFrom("s3://bucket/sp-1");
        assertThat(settings.toConfiguration().toMap())
                .doesNotContainKey("execution.state-recovery.ignore-unclaimed-state");
        var c = settings.allowingNonRestoredState().toConfiguration().toMap();
        assertThat(c)
                .containsEntry("execution.checkpointing.interval", "2000 ms")
                .containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE")
                .containsEntry("execution.checkpointing.dir", "file:///tmp/cp")
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("restart-strategy.type", "exponential-delay")
                .containsEntry(
                        "restart-strategy.exponential-delay.attempts-before-reset-backoff", "5")
                .containsEntry("restart-strategy.exponential-delay.initial-backoff", "500 ms")
                .containsEntry("restart-strategy.exponential-delay.max-backoff", "30 s")
                .containsEntry(
                        "restart-strategy.exponential-delay.reset-backoff-threshold", "2 min")
                .containsEntry("execution.state-recovery.path", "s3://bucket/sp-1")
                .containsEntry("execution.state-recovery.ignore-unclaimed-state", "true")
                .containsEntry(
                        "execution.checkpointing.externalized-checkpoint-retention",
                        "RETAIN_ON_CANCELLATION");
    }

    @Test
    void findsTheNewestRetainedCheckpointAcrossJobs(@TempDir Path dir) throws Exception {
        assertThat(RetainedCheckpoints.latest(dir.resolve("missing"))).isEmpty();
        Path older = checkpoint(dir, "job-a", "chk-9", 1_000);
        Path newer = checkpoint(dir, "job-b", "chk-2", 2_000);
        Files.createDirectories(dir.resolve("job-c/chk-30")); // in progress: no _metadata yet
        assertThat(RetainedCheckpoints.latest(dir)).contains(newer);
        assertThat(older).exists();
    }

    private static Path checkpoint(Path dir, String job, String chk, long modifiedMs)
            throws Exception {
        Path c = Files.createDirectories(dir.resolve(job).resolve(chk));
        Path meta = Files.write(c.resolve("_metadata"), new byte[] {1});
        Files.setLastModifiedTime(meta, FileTime.fromMillis(modifiedMs));
        return c;
    }
}
