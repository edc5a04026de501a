package io.audioflow.job.compile;

import io.audioflow.operators.model.StageSpec;
import io.audioflow.pipeline.definition.ResolvedStage;
import io.audioflow.pipeline.definition.StageUids;

/**
 * The one place operator uids and names come from. A stage's uid depends only on its name (or its
 * {@code uid:}), so a savepoint restores after any YAML edit that keeps them (new config, another
 * plugin version). Every uid here is fixed: a savepoint taken by any earlier version restores.
 */
public final class OperatorIds {

    private OperatorIds() {}

    /** A stage's uid: see {@link StageUids} for why it is made as it is. */
    public static String uid(ResolvedStage stage) {
        return StageUids.of(stage.definition());
    }

    public static String name(StageSpec stage) {
        return stage.name() + " [" + stage.coordinates() + "]";
    }

    public static final String FILE_SOURCE_UID = "audioflow-source-files";
    public static final String FILE_READER_UID = "audioflow-read-files";
    public static final String REASSEMBLY_UID = "audioflow-reassemble";
    public static final String KAFKA_SOURCE_UID = "audioflow-source-kafka";
    public static final String PARSE_UID = "audioflow-parse";
    public static final String RESULTS_SINK_UID = "audioflow-sink-results";
    public static final String DLQ_SINK_UID = "audioflow-sink-dlq";
    public static final String MONITOR_SINK_UID = "audioflow-sink-monitor";
    public static final String RESULTS_UID = StageUids.uid(StageUids.RESERVED.get(0));
    public static final String CONTROL_SOURCE_UID = "audioflow-source-control";
    public static final String CONTROL_VALIDATE_UID = "audioflow-control-validate";
    public static final String CONTROL_ACKS_SINK_UID = "audioflow-sink-control-results";
    public static final String CONTROL_APPLIED_UID = "audioflow-control-applied";
    public static final String CONFIG_STAMP_UID = "audioflow-config-stamp";
}
