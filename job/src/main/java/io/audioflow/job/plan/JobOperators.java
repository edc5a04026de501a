package io.audioflow.job.plan;

import io.audioflow.job.compile.OperatorIds;
import io.audioflow.job.kafka.KafkaSettings;
import io.audioflow.job.kafka.StreamingJob;
import io.audioflow.pipeline.definition.ResolvedStage;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;

/**
 * The operators of a pipeline's streaming job, by uid, as the job jar would build it: the graph is
 * compiled by the same {@link StreamingJob} (nothing runs), so a plan can never disagree with what
 * a deployment restores.
 *
 * @param byUid every operator with a uid, and the stage it runs (null for audioflow's own)
 */
public record JobOperators(Map<String, Operator> byUid) {

    /** One operator: the name Flink shows, and the stage it runs when it is a stage's. */
    public record Operator(String uid, String name, ResolvedStage stage) {}

    public static JobOperators of(ValidatedPipeline pipeline) {
        return of(pipeline, UnaryOperator.identity());
    }

    /**
     * @param started what the flags the job was started with did to the pipeline's topics ({@code
     *     --monitor-topic}, {@code --control-topic none}: they add or remove operators)
     */
    public static JobOperators of(
            ValidatedPipeline pipeline, UnaryOperator<KafkaSettings> started) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        new StreamingJob(
                        pipeline,
                        started.apply(KafkaSettings.of(pipeline.definition().kafka())),
                        1,
                        pipeline.definition().limits().applyTo(ReassemblyLimits.defaults()),
                        StreamingJob.DEFAULT_MAX_MESSAGE_BYTES)
                .build(env);
        Map<String, ResolvedStage> stages = new LinkedHashMap<>();
        for (ResolvedStage s : pipeline.stages()) stages.put(OperatorIds.uid(s), s);
        Map<String, Operator> byUid = new TreeMap<>();
        // The stream graph is where Flink keeps the uids it hashes into operator ids.
        for (StreamNode node : env.getStreamGraph().getStreamNodes()) {
            String uid = node.getTransformationUID();
            if (uid != null)
                byUid.put(uid, new Operator(uid, node.getOperatorName(), stages.get(uid)));
        }
        return new JobOperators(byUid);
    }
}
