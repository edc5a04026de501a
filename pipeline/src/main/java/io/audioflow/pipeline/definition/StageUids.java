package io.audioflow.pipeline.definition;

import java.util.List;

/**
 * How a stage's operator uid is made. Savepoints map state by uid, so this derivation never
 * changes: a stage's uid is {@code audioflow-stage-} and its {@code uid:} or, without one, its
 * name; audioflow's own operators use other prefixes, except the result assembler of a pipeline
 * without a decision stage, which has had {@code audioflow-stage-results} since the first
 * savepoints, so {@code results} is reserved.
 */
public final class StageUids {

    public static final String PREFIX = "audioflow-stage-";

    /** Keys whose uid an operator of audioflow's own already has. */
    public static final List<String> RESERVED = List.of("results");

    private StageUids() {}

    public static String uid(String key) {
        return PREFIX + key;
    }

    public static String of(StageDefinition stage) {
        return uid(stage.uidKey());
    }
}
