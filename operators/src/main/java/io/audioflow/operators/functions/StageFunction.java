package io.audioflow.operators.functions;

import io.audioflow.operators.metrics.StageMetrics;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.operators.plugin.ShippedPlugins;
import io.audioflow.pipeline.plugin.LifecycleListeners;
import io.audioflow.pipeline.plugin.LoggingLifecycleListener;
import io.audioflow.pipeline.plugin.PluginRegistry;
import io.audioflow.pipeline.runtime.RecordingSlots;
import io.audioflow.pipeline.runtime.StageOutput;
import io.audioflow.pipeline.runtime.StageRunner;
import io.audioflow.pipeline.runtime.StageServices;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A stage as a Flink operator: the stage's {@link StageRunner} does the work, with its
 * per-recording slots in keyed state, its lifecycle reported to the log and to the operator's
 * metrics, and what it hands on routed to this operator's main and side outputs.
 */
abstract class StageFunction<I, O, R extends StageRunner<I, ?>>
        extends KeyedProcessFunction<String, I, O> {

    protected final StageSpec stage;
    private transient R runner;

    StageFunction(StageSpec stage) {
        this.stage = stage;
    }

    @Override
    public void open(OpenContext openContext) {
        StageMetrics metrics = new StageMetrics(getRuntimeContext().getMetricGroup(), stage.name());
        var listener =
                LifecycleListeners.of(
                        new LoggingLifecycleListener(getRuntimeContext().getJobInfo().getJobName()),
                        metrics);
        // The fallback was resolved against the same paths and pins: one scan serves both.
        PluginRegistry registry =
                PluginRegistry.load(
                        ShippedPlugins.local(
                                stage.pluginPaths(), getRuntimeContext().getDistributedCache()),
                        stage.allowedPluginSha256(),
                        listener);
        runner =
                runner(
                        new StageServices(registry, listener, metrics),
                        new KeyedSlots(getRuntimeContext()));
    }

    /** The stage's runner, its slots in this operator's keyed state. */
    protected abstract R runner(StageServices services, RecordingSlots slots);

    /** Where this operator sends each kind of thing the runner hands on. */
    protected abstract StageOutput output(Context ctx, Collector<O> out);

    @Override
    public void processElement(I in, Context ctx, Collector<O> out) throws Exception {
        try {
            runner.process(in, output(ctx, out));
        } catch (RuntimeException e) {
            // A recording's failure never gets here (the runner makes it a dead letter): what does
            // fails the task, and the failure report must be able to say where.
            throw StageOperatorException.at(
                    "stage `" + stage.name() + "` [" + stage.coordinates() + "]",
                    ctx.getCurrentKey(),
                    in,
                    e);
        }
    }
}
