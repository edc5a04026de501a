package io.audioflow.job.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.operators.model.PipelineVersion;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.operators.plugin.ShippedPlugins;
import io.audioflow.pipeline.definition.PipelineDefinition;
import io.audioflow.pipeline.definition.PipelineValidator;
import io.audioflow.pipeline.definition.Problem;
import io.audioflow.pipeline.definition.Problems;
import io.audioflow.pipeline.definition.ResolvedStage;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.plugin.LoggingLifecycleListener;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates each control update with the same validator as {@code audioflow validate}, on the
 * submitted pipeline plus every update applied so far. An accepted update becomes the next {@link
 * PipelineVersion}, broadcast to the job; a rejected one changes nothing. Either way an answer goes
 * out ({@link #ACKS}, {@link #ACCEPTED}). Runs as one subtask: updates are applied in the order the
 * control topic holds them, and the applied list is checkpointed with the job.
 */
public final class ControlValidator extends KeyedProcessFunction<String, String, PipelineVersion> {

    /** Rejections, ready to send. */
    public static final OutputTag<String> ACKS = new OutputTag<>("control-acks", Types.STRING);

    /**
     * Acceptances, sent by {@link AckWhenApplied} once every stamper applies the version: only then
     * does a recording published after the answer surely run under it.
     */
    public static final OutputTag<String> ACCEPTED =
            new OutputTag<>("control-accepted", Types.STRING);

    /** Every update of the control topic goes to the one key, hence to one subtask. */
    public static final String KEY = "pipeline";

    private static final Logger LOG = LoggerFactory.getLogger(ControlValidator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineDefinition submitted;
    private final String submittedSha256;
    private final LinkedHashMap<String, StageSpec> submittedSpecs = new LinkedHashMap<>();
    private final List<String> pluginPaths;
    private final List<String> allowedPluginSha256;
    private transient PipelineValidator validator;
    private transient ValueState<String> applied;

    /**
     * @param submitted the pipeline as the job was submitted with it, its stages loading plugins
     *     from where the operators load them (the shipped copies on a cluster)
     */
    public ControlValidator(ValidatedPipeline submitted) {
        this.submitted = submitted.definition();
        this.submittedSha256 = submitted.configSha256();
        for (ResolvedStage s : submitted.stages()) submittedSpecs.put(s.name(), s.spec());
        StageSpec any = submitted.stages().get(0).spec();
        this.pluginPaths = new ArrayList<>(any.pluginPaths());
        this.allowedPluginSha256 = new ArrayList<>(any.allowedPluginSha256());
    }

    /** What is in effect: the updates applied to the submitted pipeline with that digest. */
    record Applied(
            String baseConfigSha256, long version, String configSha256, List<String> updates) {}

    @Override
    public void open(OpenContext openContext) {
        String job = getRuntimeContext().getJobInfo().getJobName();
        PluginRegistry registry =
                PluginRegistry.load(
                        ShippedPlugins.local(
                                pluginPaths, getRuntimeContext().getDistributedCache()),
                        allowedPluginSha256,
                        new LoggingLifecycleListener(job));
        validator = new PipelineValidator(registry, pluginPaths, allowedPluginSha256);
        applied = getRuntimeContext().getState(new ValueStateDescriptor<>("applied", Types.STRING));
    }

    @Override
    public void processElement(String message, Context ctx, Collector<PipelineVersion> out)
            throws Exception {
        Applied current = current();
        ControlUpdate update;
        try {
            update = ControlUpdate.parse(message);
        } catch (ControlUpdate.MalformedUpdate e) {
            reject(ctx, null, abbreviate(message), current, List.of(e.getMessage()));
            return;
        }
        if (update.pipeline() != null && !update.pipeline().equals(submitted.name())) {
            LOG.info(
                    "control update {} is for pipeline `{}`, not `{}`: ignored",
                    update.id(),
                    update.pipeline(),
                    submitted.name());
            return;
        }
        List<ControlUpdate> updates = new ArrayList<>();
        if (update.action() != ControlUpdate.Action.RESET) {
            for (String json : current.updates()) updates.add(ControlUpdate.parse(json));
            updates.add(update);
        }
        PipelineDefinition edited;
        try {
            edited = ControlEdits.apply(submitted, updates);
        } catch (ControlEdits.InvalidEdit e) {
            reject(ctx, update, update.describe(), current, List.of(e.getMessage()));
            return;
        }
        Problems problems = new Problems();
        Optional<ValidatedPipeline> validated = validator.validate(edited, problems);
        if (problems.hasErrors() || validated.isEmpty()) {
            reject(ctx, update, update.describe(), current, texts(problems.errors()));
            return;
        }
        Map<String, StageSpec> changed = new LinkedHashMap<>();
        for (ResolvedStage stage : validated.get().stages()) {
            if (!stage.spec().equals(submittedSpecs.get(stage.name())))
                changed.put(stage.name(), stage.spec());
        }
        long version = current.version() + 1;
        List<String> stored = updates.stream().map(ControlUpdate::toJson).toList();
        String configSha256 = validated.get().configSha256();
        applied.update(
                JSON.writeValueAsString(
                        new Applied(submittedSha256, version, configSha256, stored)));
        PipelineVersion next = PipelineVersion.of(version, submittedSha256, configSha256, changed);
        out.collect(next);
        LOG.info(
                "control update {} accepted: {}; config_version {} for recordings starting now",
                update.id(),
                update.describe(),
                version);
        ctx.output(
                ACCEPTED,
                new ControlAck(
                                update.id(),
                                submitted.name(),
                                ControlAck.Status.ACCEPTED,
                                update.describe(),
                                version,
                                next.configSha256(),
                                texts(problems.warnings()),
                                System.currentTimeMillis())
                        .toJson());
    }

    /**
     * The applied updates, or none when the job was restored with another submitted pipeline: a
     * resubmitted file is the new truth, and its versions count from 1 again.
     */
    private Applied current() throws Exception {
        String json = applied.value();
        Applied a = json == null ? null : JSON.readValue(json, Applied.class);
        if (a != null && a.baseConfigSha256().equals(submittedSha256)) return a;
        if (a != null)
            LOG.warn(
                    "the {} control update(s) applied before this restart were for another"
                            + " submitted configuration ({}); starting from the submitted pipeline",
                    a.updates().size(),
                    a.baseConfigSha256());
        return new Applied(submittedSha256, 1, submittedSha256, List.of());
    }

    private void reject(
            Context ctx, ControlUpdate update, String what, Applied current, List<String> why) {
        String id = update == null ? null : update.id();
        LOG.warn("control update {} rejected: {}: {}", id, what, why);
        ctx.output(
                ACKS,
                new ControlAck(
                                id,
                                submitted.name(),
                                ControlAck.Status.REJECTED,
                                what,
                                current.version(),
                                current.configSha256(),
                                why,
                                System.currentTimeMillis())
                        .toJson());
    }

    private static List<String> texts(List<Problem> problems) {
        return problems.stream()
                .map(
                        p ->
                                p.fix() == null || p.fix().isEmpty()
                                        ? p.message()
                                        : p.message() + "\n" + p.fix())
                .toList();
    }

    private static String abbreviate(String message) {
        return message.length() <= 200 ? message : message.substring(0, 200) + "…";
    }
}
