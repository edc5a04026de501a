package io.audioflow.job.testing;

import io.audioflow.job.compile.OperatorIds;
import io.audioflow.job.compile.PipelineCompiler;
import io.audioflow.operators.functions.FileChunkReader;
import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The compiled pipeline fed from local files instead of Kafka: for tests of the dataflow graph
 * itself (its operators, uids and results) on MiniCluster, without a broker.
 */
public final class FileGraph {

    private FileGraph() {}

    /** One JSON result per file, from the pipeline's operators. */
    public static DataStream<String> results(
            StreamExecutionEnvironment env,
            ValidatedPipeline pipeline,
            int parallelism,
            List<String> files) {
        DataStream<EncodedChunk> chunks =
                env.fromData(files, TypeInformation.of(String.class))
                        .uid(OperatorIds.FILE_SOURCE_UID)
                        .name("files")
                        .setParallelism(1)
                        .flatMap(new FileChunkReader("pcm_s16le", 0, 0))
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
}
