package io.audioflow.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audioflow.job.cli.CliRunner;
import io.audioflow.job.plan.SavepointOperators;
import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audioflow plan --savepoint} against a real savepoint of the streaming job, taken while a
 * recording is open (so every stage holds state): the same pipeline plans safe, one without its
 * pitch stage plans "needs --allow-non-restored-state" naming the pitch stage's state, and Flink
 * agrees: restoring that pipeline from the savepoint without the flag fails.
 */
class PlanAgainstSavepointITCase {

    private static EmbeddedKafka kafka;

    @TempDir static Path dir;

    private static Path savepoint;
    private static KafkaSettings topics;

    @BeforeAll
    static void takeASavepointWithAnOpenRecording() throws Exception {
        kafka = EmbeddedKafka.start();
        // Run with a monitor topic, as `run --monitor-topic` does: a sink the file does not have.
        topics = KafkaFixture.freshTopics(kafka, 1);
        ValidatedPipeline pipeline = KafkaFixture.defaultPipeline();
        try (ChunkPublisher publisher =
                new ChunkPublisher(kafka.bootstrapServers(), topics.inputTopic(), 500, Map.of())) {
            String f = "sine-1k-16k-mono.wav";
            publisher.publish(KafkaFixture.AUDIO.resolve(f), f, "pcm_s16le", 0, 0);
        }
        try (var producer =
                new KafkaProducer<>(
                        Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            // The first second of a recording whose end never comes: open in every stage.
            producer.send(
                    KafkaFixture.message(
                            topics.inputTopic(),
                            KafkaFixture.utf8("open"),
                            new byte[32_000],
                            KafkaFixture.pcmHeaders(0, false)));
        }
        JobClient job =
                KafkaFixture.startJob(
                        pipeline,
                        topics,
                        KafkaFixture.testExecution(pipeline, dir.resolve("checkpoints")),
                        null,
                        ReassemblyLimits.defaults(),
                        "plan savepoint");
        try {
            assertThat(
                            KafkaFixture.results(
                                    kafka.bootstrapServers(),
                                    topics.resultsTopic(),
                                    1,
                                    Duration.ofSeconds(90)))
                    .hasSize(1);
            savepoint =
                    Path.of(
                            job.triggerSavepoint(
                                            dir.resolve("savepoints").toString(),
                                            SavepointFormatType.CANONICAL)
                                    .get(60, TimeUnit.SECONDS)
                                    .replaceFirst("^file:", ""));
        } finally {
            job.cancel().get();
        }
    }

    @AfterAll
    static void stop() {
        if (kafka != null) kafka.close();
    }

    @Test
    void theSavepointHoldsStateForEveryStage() throws Exception {
        var stateful = SavepointOperators.read(savepoint);
        for (String stage : new String[] {"decode", "preprocess", "pitch", "decision"})
            assertThat(stateful)
                    .as(stage)
                    .anySatisfy(s -> assertThat(s.belongsTo("audioflow-stage-" + stage)).isTrue());
    }

    @Test
    void theSamePipelineStartedTheSameWayIsSafe() {
        Path pipeline = io.audioflow.job.plan.PipelinePlanTestSupport.DEFAULT;
        CliRunner.Run run =
                CliRunner.withEnv(Map.of())
                        .run(
                                "plan",
                                pipeline.toString(),
                                pipeline.toString(),
                                "--savepoint",
                                savepoint.toString(),
                                "--monitor-topic",
                                topics.monitorTopic());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("(against savepoint ", "safe: every operator's state");

        // Without the flag the job would have no monitor sink: its state would be left behind.
        CliRunner.Run withoutMonitor =
                CliRunner.withEnv(Map.of())
                        .run(
                                "plan",
                                pipeline.toString(),
                                pipeline.toString(),
                                "--savepoint",
                                savepoint.toString());
        assertThat(withoutMonitor.exitCode()).isEqualTo(1);
        assertThat(withoutMonitor.out())
                .contains("state that would be dropped:\n  audioflow-sink-monitor");
    }

    @Test
    void droppingAStageWithStateNeedsTheFlagAndFlinkAgrees() throws Exception {
        Path noPitch = io.audioflow.job.plan.PipelinePlanTestSupport.withoutPitch(dir);
        CliRunner.Run run =
                CliRunner.withEnv(Map.of())
                        .run(
                                "plan",
                                io.audioflow.job.plan.PipelinePlanTestSupport.DEFAULT.toString(),
                                noPitch.toString(),
                                "--savepoint",
                                savepoint.toString(),
                                "--monitor-topic",
                                topics.monitorTopic());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out())
                .contains("state that would be dropped:\n  audioflow-stage-pitch (pitch")
                .contains("bytes of state in the savepoint");

        ValidatedPipeline without =
                new PipelineLoader(PluginRegistry.builtIn(), Map.of())
                        .load(noPitch)
                        .pipeline()
                        .orElseThrow();
        KafkaSettings elsewhere = KafkaFixture.freshTopics(kafka, 1);
        assertThatThrownBy(
                        () ->
                                KafkaFixture.startJob(
                                                without,
                                                elsewhere,
                                                KafkaFixture.testExecution(
                                                        without, dir.resolve("restored")),
                                                savepoint,
                                                ReassemblyLimits.defaults(),
                                                "restore without pitch")
                                        .getJobExecutionResult()
                                        .get(60, TimeUnit.SECONDS))
                .hasStackTraceContaining("allowNonRestoredState");
        assertThat(Files.exists(savepoint)).isTrue();
    }
}
