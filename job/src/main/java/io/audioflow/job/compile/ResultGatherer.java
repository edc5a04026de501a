package io.audioflow.job.compile;

import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Hands analyze's results back to the CLI in the job's own result, as an accumulator, and emits
 * nothing. {@code executeAndCollect} would instead have the CLI poll the job ten times a second
 * (job status and a coordination request, each through Flink's RPC) for as long as it runs: 0.2 to
 * 0.4 CPU-seconds of an hour's analysis. analyze prints every result at the end anyway, in input
 * order, so nothing is lost by receiving them at once.
 */
final class ResultGatherer extends ProcessFunction<String, Void> {

    private static final String ACCUMULATOR = "audioflow-results";

    private transient ListAccumulator<String> results;

    @Override
    public void open(OpenContext openContext) {
        results = new ListAccumulator<>();
        getRuntimeContext().addAccumulator(ACCUMULATOR, results);
    }

    @Override
    public void processElement(String json, Context ctx, Collector<Void> out) {
        results.add(json);
    }

    static List<String> results(JobExecutionResult job) {
        List<String> results = job.getAccumulatorResult(ACCUMULATOR);
        return results == null ? List.of() : results;
    }
}
