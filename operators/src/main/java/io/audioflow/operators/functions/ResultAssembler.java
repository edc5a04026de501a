package io.audioflow.operators.functions;

import io.audioflow.api.Decision;
import io.audioflow.api.DecisionEngine;
import io.audioflow.operators.metrics.CountersByLabel;
import io.audioflow.operators.model.PipelineIdentity;
import io.audioflow.operators.model.PipelineVersion;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.operators.plugin.ShippedPlugins;
import io.audioflow.pipeline.plugin.PluginRegistry;
import io.audioflow.pipeline.runtime.DecisionStage;
import io.audioflow.pipeline.runtime.RecordingResultJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The fan-in at the end of the graph: collects the small per-stage results of a recording until
 * every stage has reported, then runs the decision engine (if the pipeline has one) and emits the
 * recording's result as JSON.
 */
public class ResultAssembler extends KeyedProcessFunction<String, StageResult, String> {

    private static final int LATENCY_WINDOW = 1_000;

    private final PipelineIdentity pipeline;
    private final StageSpec decisionStage; // null when the pipeline has no decision stage
    private transient PluginRegistry registry;

    /** Decision engines by coordinates: the submitted one and any a control update swapped in. */
    private transient Map<String, DecisionEngine> engines;

    /** The pipeline's identity under each configuration version met so far, by config digest. */
    private transient Map<String, PipelineIdentity> identities;

    private transient MapState<String, StageResult> reported;
    private transient int expected;
    private transient CountersByLabel verdicts;
    private transient Histogram latency;

    public ResultAssembler(PipelineIdentity pipeline, StageSpec decisionStage) {
        this.pipeline = pipeline;
        this.decisionStage = decisionStage;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("audioflow");
        verdicts = new CountersByLabel(group, "verdict", "results");
        // From the Kafka timestamp of a recording's last chunk to its result leaving the job.
        latency =
                group.histogram(
                        "resultLatencyMs", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        engines = new HashMap<>();
        identities = new HashMap<>();
        if (decisionStage != null) {
            registry =
                    PluginRegistry.load(
                            ShippedPlugins.local(
                                    decisionStage.pluginPaths(),
                                    getRuntimeContext().getDistributedCache()),
                            decisionStage.allowedPluginSha256(),
                            io.audioflow.api.LifecycleListener.NONE);
            engineFor(decisionStage);
        }
        expected =
                (int)
                        pipeline.stages().stream()
                                .filter(s -> s != decisionStage && !s.equals(decisionStage))
                                .count();
        reported =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "reported",
                                        Types.STRING,
                                        TypeInformation.of(StageResult.class)));
    }

    @Override
    public void processElement(StageResult in, Context ctx, Collector<String> out)
            throws Exception {
        reported.put(in.stage, in);
        List<StageResult> results = new ArrayList<>();
        for (StageResult r : reported.values()) results.add(r);
        if (results.size() < expected) return;
        reported.clear();
        PipelineVersion config = configOf(results);
        // The changed stages travel serialized: decode them once per version, not per recording.
        PipelineIdentity identity =
                config == null
                        ? pipeline
                        : identities.computeIfAbsent(
                                config.configSha256(), sha -> pipeline.under(config));
        Decision decision = decisionStage == null ? null : decide(identity, results);
        verdicts.inc(decision == null ? null : decision.verdict().label());
        lastChunkTimestamp(results)
                .ifPresent(t -> latency.update(Math.max(0, System.currentTimeMillis() - t)));
        Decision shadowDecision =
                decisionStage == null || !DecisionStage.hasShadows(identity)
                        ? null
                        : shadowDecide(identity, results);
        out.collect(
                RecordingResultJson.toJson(
                        ctx.getCurrentKey(), identity, results, decision, shadowDecision));
    }

    /** The configuration the recording started under: every stage reports the same one. */
    private static PipelineVersion configOf(List<StageResult> results) {
        for (StageResult r : results) if (r.config != null) return r.config;
        return null;
    }

    private DecisionEngine engineFor(StageSpec spec) {
        return engines.computeIfAbsent(
                spec.coordinates(),
                c -> (DecisionEngine) registry.require(spec.plugin(), spec.semVer()).plugin());
    }

    private static java.util.OptionalLong lastChunkTimestamp(List<StageResult> results) {
        for (StageResult r : results) {
            String t = r.info.get("source.timestamp_last");
            if (t != null) return java.util.OptionalLong.of(Long.parseLong(t));
        }
        return java.util.OptionalLong.empty();
    }

    private Decision shadowDecide(PipelineIdentity identity, List<StageResult> results) {
        StageSpec spec = identity.stage(decisionStage.name());
        DecisionEngine engine = engineFor(spec.shadow() != null ? spec.shadow() : spec);
        return DecisionStage.shadowDecision(engine, spec, results);
    }

    private Decision decide(PipelineIdentity identity, List<StageResult> results) {
        StageSpec spec = identity.stage(decisionStage.name());
        return DecisionStage.decide(engineFor(spec), spec, results);
    }
}
