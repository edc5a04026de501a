package io.audioflow.operators.control;

import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.operators.model.PipelineVersion;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the configuration in effect (broadcast state, so every subtask has it and it is in every
 * checkpoint) and stamps it on each arriving chunk. Reassembly, next in the same task, pins the
 * stamp of a recording's first chunk, so a recording finishes under the configuration it started
 * with.
 */
public final class ConfigStamper
        extends KeyedBroadcastProcessFunction<String, EncodedChunk, PipelineVersion, EncodedChunk> {

    public static final MapStateDescriptor<String, PipelineVersion> CONFIG =
            new MapStateDescriptor<>(
                    "pipeline-config", Types.STRING, TypeInformation.of(PipelineVersion.class));

    /** Each subtask reports here every version it applied, for the acknowledgement. */
    public static final OutputTag<ConfigApplied> APPLIED =
            new OutputTag<>("config-applied", TypeInformation.of(ConfigApplied.class));

    private static final String CURRENT = "current";
    private static final Logger LOG = LoggerFactory.getLogger(ConfigStamper.class);

    private final String submittedConfigSha256;
    private transient volatile long version;

    /**
     * @param submittedConfigSha256 versions made for another submitted pipeline are ignored
     */
    public ConfigStamper(String submittedConfigSha256) {
        this.submittedConfigSha256 = submittedConfigSha256;
    }

    @Override
    public void open(OpenContext openContext) {
        version = 1;
        getRuntimeContext()
                .getMetricGroup()
                .addGroup("audioflow")
                .gauge("configVersion", (Gauge<Long>) () -> version);
    }

    @Override
    public void processElement(EncodedChunk in, ReadOnlyContext ctx, Collector<EncodedChunk> out)
            throws Exception {
        PipelineVersion current = ctx.getBroadcastState(CONFIG).get(CURRENT);
        // Restored from a savepoint of another submitted pipeline: the submitted file wins.
        in.config = current != null && forThisPipeline(current) ? current : null;
        version = in.config == null ? 1 : in.config.version();
        out.collect(in);
    }

    @Override
    public void processBroadcastElement(
            PipelineVersion update, Context ctx, Collector<EncodedChunk> out) throws Exception {
        if (!forThisPipeline(update)) {
            LOG.warn(
                    "config_version {} was made for another submitted pipeline ({}): ignored",
                    update.version(),
                    update.baseConfigSha256());
            return;
        }
        PipelineVersion current = ctx.getBroadcastState(CONFIG).get(CURRENT);
        if (current == null || !forThisPipeline(current) || update.version() > current.version()) {
            ctx.getBroadcastState(CONFIG).put(CURRENT, update);
            version = update.version();
        }
        ctx.output(
                APPLIED,
                new ConfigApplied(
                        update.version(),
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask()));
    }

    private boolean forThisPipeline(PipelineVersion v) {
        return submittedConfigSha256.equals(v.baseConfigSha256());
    }
}
