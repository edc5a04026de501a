package io.audioflow.job.cli;

import io.audioflow.job.kafka.DeadLetterBounds;
import io.audioflow.job.kafka.ExecutionSettings;
import io.audioflow.job.kafka.KafkaSettings;
import io.audioflow.job.kafka.RetainedCheckpoints;
import io.audioflow.job.kafka.StreamingJob;
import io.audioflow.job.kafka.TopicCheck;
import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.PipelineParser;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The streaming job's flags, shared by {@code run} (local Flink) and the job jar's main ({@code
 * flink run}): flags win over the pipeline file's {@code kafka} and {@code checkpointing} sections.
 */
final class StreamingOptions {

    /** The job's parallelism when none is asked for: this machine class has two cores. */
    static final int DEFAULT_PARALLELISM = 2;

    // Java initializers mirror the picocli defaults: `demo` builds an instance without parsing.

    @Option(names = "--pipeline", description = PipelineOption.DESCRIPTION)
    Path pipeline;

    @Mixin KafkaClientOptions kafkaClient = new KafkaClientOptions();

    @Option(
            names = "--bootstrap-servers",
            description =
                    "Kafka bootstrap servers (default: the pipeline's kafka.bootstrap_servers).")
    String bootstrapServers;

    @Option(
            names = "--group-id",
            description = "Consumer group of the source (default: the transactional id prefix).")
    String groupId;

    @Option(
            names = "--parallelism",
            description = "Flink parallelism (default 2, capped by $MAX_WORKERS).")
    Integer parallelism;

    @Option(
            names = "--checkpoint-interval-ms",
            description = "Checkpoint interval; results are committed at each checkpoint.")
    Long checkpointIntervalMs;

    @Option(
            names = "--buffer-timeout-ms",
            description =
                    "How long a stage's result may wait in a network buffer before it is sent"
                            + " (default 20); 0 sends each at once, for the lowest latency at more"
                            + " CPU. Chunks from Kafka are always sent at once.")
    Long bufferTimeoutMs;

    @Option(
            names = "--checkpoint-dir",
            description =
                    "Where checkpoints are kept (path or URI; default: the pipeline's checkpointing.storage).")
    String checkpointDir;

    @Option(
            names = "--state-backend",
            description =
                    "hashmap (state on the heap) or rocksdb (state on local disk, for many open"
                            + " recordings); default: the pipeline's checkpointing.state_backend.")
    StateBackend stateBackend;

    enum StateBackend {
        hashmap,
        rocksdb
    }

    @Option(
            names = {"--from-savepoint", "-s"},
            description = "Resume from this savepoint or retained checkpoint.")
    String fromSavepoint;

    @Option(
            names = "--allow-non-restored-state",
            description =
                    "Restore even when the savepoint holds state of stages this pipeline no longer"
                            + " has (removed, or renamed without `uid:`); that state is dropped.")
    boolean allowNonRestoredState;

    @Option(
            names = "--resume",
            description =
                    "Resume from the newest checkpoint retained in --checkpoint-dir (a local path),"
                            + " if there is one: after Ctrl-C, a crash or a cancel.")
    boolean resume;

    @Option(
            names = "--monitor-topic",
            description =
                    "Also publish each analyzer's per-chunk progress (loudness and level as the audio"
                            + " arrives) to this topic, at least once (default: the pipeline's"
                            + " kafka.topics.monitor; off when neither is set).")
    String monitorTopic;

    @Option(
            names = "--control-topic",
            description =
                    "Read pipeline updates (`audioflow control`) from this topic; `none` turns them"
                            + " off (default: the pipeline's kafka.topics.control, audio.control).")
    String controlTopic;

    @Option(
            names = "--control-results-topic",
            description =
                    "Acknowledge or reject each update on this topic (default: the pipeline's"
                            + " kafka.topics.control_results, audio.control.results).")
    String controlResultsTopic;

    @Option(
            names = "--restart-attempts",
            description =
                    "Restarts in a row (with no restarts.reset_after_ms of running between them)"
                            + " before the job fails for good; 0: none (default: the pipeline's"
                            + " restarts.attempts, 10).")
    Integer restartAttempts;

    @Option(
            names = "--idle-timeout-s",
            defaultValue = "300",
            description =
                    "A recording with no new chunk for this long is closed as incomplete. Default: ${DEFAULT-VALUE}.")
    long idleTimeoutS = 300;

    @Option(
            names = "--max-message-bytes",
            defaultValue = "" + StreamingJob.DEFAULT_MAX_MESSAGE_BYTES,
            description =
                    "Larger input messages go to the dead letters. Default: ${DEFAULT-VALUE}.")
    int maxMessageBytes = StreamingJob.DEFAULT_MAX_MESSAGE_BYTES;

    @Option(
            names = "--dlq-max-payload-bytes",
            defaultValue = "" + DeadLetterBounds.DEFAULT_MAX_PAYLOAD_BYTES,
            description =
                    "A dead letter keeps at most this much of the failed message's value (its full"
                            + " size and SHA-256 go in headers), so that every dead letter fits the"
                            + " DLQ producer and broker. Default: ${DEFAULT-VALUE}.")
    int dlqMaxPayloadBytes = DeadLetterBounds.DEFAULT_MAX_PAYLOAD_BYTES;

    private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(15);

    /** Everything the job needs, or empty after printing why the pipeline is not valid. */
    record Resolved(
            ValidatedPipeline pipeline,
            KafkaSettings kafka,
            ExecutionSettings execution,
            int parallelism) {

        Resolved withParallelism(int p) {
            return new Resolved(pipeline, kafka, execution, p);
        }

        Resolved withKafka(KafkaSettings k) {
            return new Resolved(pipeline, k, execution, parallelism);
        }

        /** Whether the broker has the topics the job reads and writes. */
        TopicCheck.Outcome checkTopics() {
            return checkTopics(true);
        }

        /** {@code readsInput}: false for a job fed from elsewhere (files) that only writes. */
        TopicCheck.Outcome checkTopics(boolean readsInput) {
            Map<String, String> written = new LinkedHashMap<>();
            written.put(kafka.resultsTopic(), "results");
            written.put(kafka.dlqTopic(), "dead-letter");
            if (kafka.monitorTopic() != null) written.put(kafka.monitorTopic(), "monitor");
            return TopicCheck.check(
                    kafka.connection(),
                    readsInput ? Map.of(kafka.inputTopic(), "input") : Map.of(),
                    written,
                    TOPIC_CHECK_TIMEOUT);
        }

        StreamingJob job(StreamingOptions options) {
            return new StreamingJob(
                    pipeline,
                    kafka,
                    parallelism,
                    pipeline.definition().limits().applyTo(options.limits()),
                    options.maxMessageBytes,
                    options.deadLetterBounds());
        }
    }

    Optional<Resolved> resolve(Environment env, PrintWriter err) {
        PipelineLoader.Result loaded = PipelineOption.load(env, pipeline, err);
        PipelineOption.printProblems(loaded, err);
        if (loaded.pipeline().isEmpty()) return Optional.empty();
        ValidatedPipeline p = PipelineOption.capped(env, loaded.pipeline().get(), err);
        KafkaSettings kafka = KafkaSettings.of(p.definition().kafka());
        if (bootstrapServers != null) kafka = kafka.withBootstrapServers(bootstrapServers);
        kafka = kafka.withClientProperties(kafkaClient.over(Map.of()));
        if (groupId != null) kafka = kafka.withGroupId(groupId);
        if (monitorTopic != null) kafka = kafka.withMonitorTopic(monitorTopic);
        if (controlTopic != null || controlResultsTopic != null)
            kafka =
                    kafka.withControlTopics(
                            controlTopic != null
                                    ? PipelineParser.offWhenNone(controlTopic)
                                    : kafka.controlTopic(),
                            controlResultsTopic != null
                                    ? controlResultsTopic
                                    : kafka.controlResultsTopic());
        if (bufferTimeoutMs != null && bufferTimeoutMs < 0) {
            err.println(
                    "--buffer-timeout-ms must be 0 (send each result at once) or more, got "
                            + bufferTimeoutMs);
            return Optional.empty();
        }
        if (restartAttempts != null && restartAttempts < 0) {
            err.println(
                    "--restart-attempts must be 0 (no restarts) or more, got " + restartAttempts);
            return Optional.empty();
        }
        ExecutionSettings execution =
                ExecutionSettings.of(
                        p.definition().checkpointing(),
                        restartAttempts == null
                                ? p.definition().restarts()
                                : p.definition().restarts().withAttempts(restartAttempts));
        if (checkpointIntervalMs != null)
            execution = execution.withCheckpointInterval(checkpointIntervalMs);
        if (checkpointDir != null) execution = execution.withCheckpointStorage(checkpointDir);
        if (bufferTimeoutMs != null)
            execution = execution.withBufferTimeout(Duration.ofMillis(bufferTimeoutMs));
        if (stateBackend != null) execution = execution.withStateBackend(stateBackend.name());
        if (allowNonRestoredState) execution = execution.allowingNonRestoredState();
        if (fromSavepoint != null) execution = execution.restoringFrom(fromSavepoint);
        else if (resume) {
            String dir = execution.checkpointing().storage();
            if (dir == null || dir.contains("://") && !dir.startsWith("file:")) {
                err.println(
                        "--resume looks for checkpoints in a local --checkpoint-dir; give one, or"
                                + " name the checkpoint with -s");
                return Optional.empty();
            }
            Path local = dir.startsWith("file:") ? Path.of(URI.create(dir)) : Path.of(dir);
            Optional<Path> latest = RetainedCheckpoints.latest(local);
            if (latest.isPresent()) {
                err.println("resuming from " + latest.get());
                execution = execution.restoringFrom(latest.get().toString());
            } else {
                err.println("no retained checkpoint in " + local + ": starting fresh");
            }
        }
        int workers = parallelism != null ? parallelism : DEFAULT_PARALLELISM;
        workers = Math.min(workers, env.maxWorkers().orElse(workers));
        return Optional.of(new Resolved(p, kafka, execution, workers));
    }

    DeadLetterBounds deadLetterBounds() {
        DeadLetterBounds d = DeadLetterBounds.defaults();
        return new DeadLetterBounds(
                dlqMaxPayloadBytes, d.maxHeaderBytes(), d.maxKeyBytes(), d.maxTextChars());
    }

    ReassemblyLimits limits() {
        ReassemblyLimits d = ReassemblyLimits.defaults();
        return new ReassemblyLimits(
                d.maxChunks(), d.maxBufferedBytes(), idleTimeoutS * 1000, d.tombstoneMs());
    }
}
