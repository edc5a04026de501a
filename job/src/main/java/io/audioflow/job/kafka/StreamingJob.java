package io.audioflow.job.kafka;

import io.audioflow.job.compile.GraphSettings;
import io.audioflow.job.compile.OperatorIds;
import io.audioflow.job.compile.PipelineCompiler;
import io.audioflow.job.control.AckWhenApplied;
import io.audioflow.job.control.ControlValidator;
import io.audioflow.operators.control.ConfigApplied;
import io.audioflow.operators.control.ConfigStamper;
import io.audioflow.operators.functions.StageOutputs;
import io.audioflow.operators.ingest.ParseFunction;
import io.audioflow.operators.ingest.RawMessage;
import io.audioflow.operators.model.ChunkProgress;
import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.operators.model.PipelineVersion;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ChunkParser;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The product: audio chunks from Kafka, through the compiled pipeline, to one result per recording
 * and a dead letter for everything that failed, both written in Kafka transactions that commit with
 * Flink's checkpoints (exactly once).
 */
public final class StreamingJob {

    /**
     * Kafka's default {@code message.max.bytes} is about 1 MiB; this leaves room for brokers set
     * higher.
     */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final ValidatedPipeline pipeline;
    private final KafkaSettings kafka;
    private final int parallelism;
    private final ReassemblyLimits limits;
    private final int maxMessageBytes;
    private final DeadLetterBounds deadLetterBounds;

    public StreamingJob(
            ValidatedPipeline pipeline,
            KafkaSettings kafka,
            int parallelism,
            ReassemblyLimits limits,
            int maxMessageBytes) {
        this(pipeline, kafka, parallelism, limits, maxMessageBytes, DeadLetterBounds.defaults());
    }

    public StreamingJob(
            ValidatedPipeline pipeline,
            KafkaSettings kafka,
            int parallelism,
            ReassemblyLimits limits,
            int maxMessageBytes,
            DeadLetterBounds deadLetterBounds) {
        this.pipeline = pipeline;
        this.kafka = kafka;
        this.parallelism = parallelism;
        this.limits = limits;
        this.maxMessageBytes = maxMessageBytes;
        this.deadLetterBounds = deadLetterBounds;
    }

    public void build(StreamExecutionEnvironment env) {
        var source =
                KafkaSource.<RawMessage>builder()
                        .setProperties(userProperties())
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopics(kafka.inputTopic())
                        .setGroupId(kafka.groupId())
                        .setClientIdPrefix(kafka.transactionalIdPrefix() + "-source")
                        .setStartingOffsets(
                                kafka.startAtMillis() > 0
                                        ? OffsetsInitializer.timestamp(kafka.startAtMillis())
                                        : OffsetsInitializer.committedOffsets(
                                                OffsetResetStrategy.EARLIEST))
                        .setDeserializer(new RawMessageDeserializer())
                        // Only committed input: a producer's aborted transaction is never analysed.
                        .setProperty("isolation.level", "read_committed")
                        // A run started at a time is a look at part of the topic, not the
                        // group's progress: it must not move the offsets the job resumes from.
                        .setProperty(
                                "commit.offsets.on.checkpoint",
                                String.valueOf(kafka.startAtMillis() == 0));
        if (kafka.stopAtLatest()) source.setBounded(OffsetsInitializer.latest());

        SingleOutputStreamOperator<EncodedChunk> chunks =
                env.fromSource(
                                source.build(),
                                WatermarkStrategy.noWatermarks(),
                                "kafka: " + kafka.inputTopic())
                        .uid(OperatorIds.KAFKA_SOURCE_UID)
                        .setParallelism(parallelism)
                        .process(new ParseFunction(new ChunkParser(maxMessageBytes)))
                        .uid(OperatorIds.PARSE_UID)
                        .name("parse messages")
                        .setParallelism(parallelism)
                        .setBufferTimeout(GraphSettings.CHUNK_BUFFER_TIMEOUT.toMillis());
        analyse(env, chunks, chunks.getSideOutput(StageOutputs.DEAD_LETTERS));
    }

    /**
     * The pipeline over {@code chunks}, with results, dead letters ({@code refused}: those of the
     * input, or null) and monitoring to the topics: the Kafka input's, or another source's (the
     * bounded file job's).
     */
    public void analyse(
            StreamExecutionEnvironment env,
            DataStream<EncodedChunk> chunks,
            DataStream<DeadLetter> refused) {
        ValidatedPipeline shipped = PluginShipping.ship(pipeline, env);
        SingleOutputStreamOperator<PipelineVersion> versions =
                kafka.controlTopic() == null ? null : controlUpdates(env, shipped);
        PipelineCompiler.Compiled compiled =
                new PipelineCompiler(shipped, parallelism, limits, kafka.monitorTopic() != null)
                        .compile(
                                chunks,
                                versions == null ? null : versions.broadcast(ConfigStamper.CONFIG));
        if (versions != null) answerControlUpdates(versions, compiled);

        compiled.results()
                .sinkTo(sink("results", new ResultSerializer(kafka.resultsTopic()), Map.of()))
                .uid(OperatorIds.RESULTS_SINK_UID)
                .name("kafka: " + kafka.resultsTopic())
                .setParallelism(parallelism);
        DataStream<DeadLetter> deadLetters =
                refused == null ? compiled.deadLetters() : refused.union(compiled.deadLetters());
        deadLetters
                .sinkTo(
                        sink(
                                "dlq",
                                new DeadLetterSerializer(kafka.dlqTopic(), deadLetterBounds),
                                Map.of(
                                        "max.request.size",
                                        String.valueOf(
                                                deadLetterBounds.producerMaxRequestBytes()))))
                .uid(OperatorIds.DLQ_SINK_UID)
                .name("kafka: " + kafka.dlqTopic())
                .setParallelism(parallelism);
        compiled.progress()
                .ifPresent(
                        progress ->
                                progress.sinkTo(monitorSink())
                                        .uid(OperatorIds.MONITOR_SINK_UID)
                                        .name("kafka: " + kafka.monitorTopic())
                                        .setParallelism(parallelism));
    }

    /**
     * Control updates, validated in one subtask and broadcast to the stages. The topic is matched
     * by pattern, so a job whose control topic does not exist yet still runs and picks the topic up
     * once created. A fresh start reads updates sent from submission on (older ones were for an
     * earlier run); a restore continues from the checkpointed offsets, and the applied
     * configuration comes back from state, not from replaying the topic.
     */
    private SingleOutputStreamOperator<PipelineVersion> controlUpdates(
            StreamExecutionEnvironment env, ValidatedPipeline shipped) {
        var source =
                KafkaSource.<String>builder()
                        .setProperties(userProperties())
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopicPattern(Pattern.compile(Pattern.quote(kafka.controlTopic())))
                        .setGroupId(kafka.groupId() + "-control")
                        .setClientIdPrefix(kafka.transactionalIdPrefix() + "-control")
                        .setStartingOffsets(
                                OffsetsInitializer.timestamp(System.currentTimeMillis()))
                        .setValueOnlyDeserializer(new SimpleStringSchema())
                        .setProperty("isolation.level", "read_committed")
                        .setProperty("partition.discovery.interval.ms", "10000");
        if (kafka.stopAtLatest()) source.setBounded(OffsetsInitializer.latest());
        return env.fromSource(
                        source.build(),
                        WatermarkStrategy.noWatermarks(),
                        "kafka: " + kafka.controlTopic())
                .uid(OperatorIds.CONTROL_SOURCE_UID)
                .setParallelism(1)
                .keyBy(update -> ControlValidator.KEY)
                .process(new ControlValidator(shipped))
                .uid(OperatorIds.CONTROL_VALIDATE_UID)
                .name("validate control updates")
                .setParallelism(1);
    }

    /**
     * Rejections are answered at once; an acceptance once every stamper subtask applied the
     * version. Answers go out at least once and as they happen: the sender is waiting.
     */
    private void answerControlUpdates(
            SingleOutputStreamOperator<PipelineVersion> versions,
            PipelineCompiler.Compiled compiled) {
        DataStream<ConfigApplied> applied = compiled.configApplied().orElseThrow();
        DataStream<String> accepted =
                versions.getSideOutput(ControlValidator.ACCEPTED)
                        .keyBy(answer -> ControlValidator.KEY)
                        .connect(applied.keyBy(notice -> ControlValidator.KEY))
                        .process(new AckWhenApplied(applied.getParallelism()))
                        .uid(OperatorIds.CONTROL_APPLIED_UID)
                        .name("answer when applied")
                        .setParallelism(1);
        versions.getSideOutput(ControlValidator.ACKS)
                .union(accepted)
                .sinkTo(
                        KafkaSink.<String>builder()
                                .setKafkaProducerConfig(userProperties())
                                .setBootstrapServers(kafka.bootstrapServers())
                                .setRecordSerializer(
                                        KafkaRecordSerializationSchema.<String>builder()
                                                .setTopic(kafka.controlResultsTopic())
                                                .setValueSerializationSchema(
                                                        new SimpleStringSchema())
                                                .build())
                                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                                .build())
                .uid(OperatorIds.CONTROL_ACKS_SINK_UID)
                .name("kafka: " + kafka.controlResultsTopic())
                .setParallelism(1);
    }

    /**
     * Live monitoring wants chunks as they are measured, not at the next checkpoint: at least once,
     * outside the transactions (a restart may repeat a chunk's message; the results never repeat).
     */
    private KafkaSink<ChunkProgress> monitorSink() {
        return KafkaSink.<ChunkProgress>builder()
                .setKafkaProducerConfig(userProperties())
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(new ProgressSerializer(kafka.monitorTopic()))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /**
     * The user's client properties (security, timeouts), set first on every source and sink: what
     * the job sets after them (servers, group, deserializers, transactions) is its contract.
     */
    private Properties userProperties() {
        return kafka.connection().clientProperties(Map.of(), Map.of());
    }

    private <T> KafkaSink<T> sink(
            String name,
            KafkaRecordSerializationSchema<T> serializer,
            Map<String, String> producerProperties) {
        var sink =
                KafkaSink.<T>builder()
                        .setKafkaProducerConfig(userProperties())
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setRecordSerializer(serializer)
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        // Two sinks, two prefixes: transactional ids must not collide.
                        .setTransactionalIdPrefix(kafka.transactionalIdPrefix() + "-" + name)
                        .setProperty(
                                "transaction.timeout.ms",
                                String.valueOf(kafka.transactionTimeoutMs()));
        producerProperties.forEach(sink::setProperty);
        return sink.build();
    }
}
