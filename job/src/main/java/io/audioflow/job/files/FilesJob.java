package io.audioflow.job.files;

import io.audioflow.job.compile.OperatorIds;
import io.audioflow.job.compile.PipelineCompiler;
import io.audioflow.job.kafka.PluginShipping;
import io.audioflow.job.kafka.StreamingJob;
import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import io.audioflow.pipeline.runtime.FileChunks;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

/**
 * The bounded path: the pipeline over audio files on any Flink file system (a local path, {@code
 * s3://…}, {@code hdfs://…}), read by Flink's {@code FileSource}, with the results and dead letters
 * either on the topics (as the streaming job writes them) or as JSON lines under an output folder.
 * For corpora that outgrow one machine's {@code analyze}: submitted like the streaming job, it ends
 * when every file is analysed.
 *
 * <p>It runs in Flink's streaming execution mode on a bounded source, not in batch mode: batch
 * execution sorts each keyed input by key alone, so a recording's chunks would reach its stages in
 * no particular order (tried: frames arrived out of order and metrics were wrong).
 */
public final class FilesJob {

    public static final String RESULTS_SINK_UID = "audioflow-sink-results-files";
    public static final String DLQ_SINK_UID = "audioflow-sink-dlq-files";
    private static final String DLQ_LINES_UID = "audioflow-dlq-lines";

    private final ValidatedPipeline pipeline;
    private final String input;
    private final FileChunks chunks;
    private final int parallelism;
    private final ReassemblyLimits limits;

    /**
     * @param input a file or folder (read recursively), as a Flink path or URI
     * @param chunks how headerless files are read
     */
    public FilesJob(
            ValidatedPipeline pipeline,
            String input,
            FileChunks chunks,
            int parallelism,
            ReassemblyLimits limits) {
        this.pipeline = pipeline;
        this.input = input;
        this.chunks = chunks;
        this.parallelism = parallelism;
        this.limits = limits;
    }

    private DataStream<EncodedChunk> files(StreamExecutionEnvironment env) {
        FileSource<EncodedChunk> source =
                FileSource.forBulkFileFormat(new AudioFileFormat(chunks), new Path(input)).build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "files: " + input)
                .uid(OperatorIds.FILE_SOURCE_UID)
                .setParallelism(parallelism);
    }

    /** Results and dead letters to the topics {@code kafka} writes. */
    public void toTopics(StreamExecutionEnvironment env, StreamingJob kafka) {
        kafka.analyse(env, files(env), null);
    }

    /**
     * Results as {@code <output>/results/…jsonl} and dead letters as {@code
     * <output>/dead-letters/…jsonl}, one JSON object per line; the part files are committed at
     * checkpoints and when the job ends.
     */
    public void toFiles(StreamExecutionEnvironment env, String output) {
        PipelineCompiler.Compiled compiled =
                new PipelineCompiler(PluginShipping.ship(pipeline, env), parallelism, limits)
                        .compile(files(env));
        compiled.results()
                .sinkTo(lines(output, "results"))
                .uid(RESULTS_SINK_UID)
                .name("files: " + output + "/results")
                .setParallelism(parallelism);
        compiled.deadLetters()
                .map(new DeadLetterLine())
                .returns(Types.STRING)
                .uid(DLQ_LINES_UID)
                .name("dead letters as JSON")
                .setParallelism(parallelism)
                .sinkTo(lines(output, "dead-letters"))
                .uid(DLQ_SINK_UID)
                .name("files: " + output + "/dead-letters")
                .setParallelism(parallelism);
    }

    private static FileSink<String> lines(String output, String folder) {
        return FileSink.forRowFormat(new Path(output, folder), new SimpleStringEncoder<String>())
                .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".jsonl").build())
                .build();
    }
}
