package io.audioflow.job.compile;

import io.audioflow.job.pipeline.ValidatedPipeline;
import io.audioflow.operators.functions.FileChunkReader;
import io.audioflow.operators.ingest.ReassemblyLimits;
import io.audioflow.operators.model.EncodedChunk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A bounded run of a pipeline over local files on an embedded Flink: what {@code analyze} does. The
 * source and the result sink are the only parts that differ from the Kafka job.
 */
public final class LocalFileJob {

    /** How headerless (.raw/.pcm) files are to be read. */
    public record RawInput(String format, int sampleRate, int channels) {}

    private final ValidatedPipeline pipeline;
    private final int parallelism;

    public LocalFileJob(ValidatedPipeline pipeline, int parallelism) {
        this.pipeline = pipeline;
        this.parallelism = parallelism;
    }

    /**
     * Flink's own local environment, as configured: the REST endpoint takes a free port, so that
     * runs side by side do not collide.
     */
    public static StreamExecutionEnvironment localEnvironment(int parallelism) {
        Configuration conf = GraphSettings.applyTo(new Configuration());
        conf.set(RestOptions.BIND_PORT, "0");
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    }

    public DataStream<String> build(
            StreamExecutionEnvironment env, List<String> files, RawInput raw) {
        DataStream<EncodedChunk> chunks =
                env.fromData(files, TypeInformation.of(String.class))
                        .uid(OperatorIds.FILE_SOURCE_UID)
                        .name("files")
                        .setParallelism(1)
                        .flatMap(
                                new FileChunkReader(raw.format(), raw.sampleRate(), raw.channels()))
                        .uid(OperatorIds.FILE_READER_UID)
                        .name("read files")
                        .setParallelism(1);
        return new PipelineCompiler(
                        pipeline,
                        parallelism,
                        pipeline.definition().limits().applyTo(ReassemblyLimits.defaults()))
                .compile(chunks)
                .results();
    }

    /** Runs to completion and returns every recording's JSON result. */
    public List<String> run(List<String> files, RawInput raw) throws Exception {
        StreamExecutionEnvironment env = localEnvironment(parallelism);
        Path results = Files.createTempFile("audioflow-results-", ".jsonl");
        try {
            build(env, files, raw)
                    .sinkTo(new LocalResultFile(results))
                    .uid(OperatorIds.RESULTS_FILE_UID)
                    .name("results file")
                    .setParallelism(1);
            env.execute("audioflow analyze: " + pipeline.definition().name());
            return Files.readAllLines(results, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(results);
        }
    }
}
