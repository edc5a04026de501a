package io.audioflow.operators.functions;

import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.EncodedChunk;

/**
 * A failure inside a stage operator that is not a recording's (those become dead letters): the
 * state store failing, a configuration version that cannot be read, a defect. It fails the task,
 * and says where, so that the job's failure report can name the operator and the input record.
 */
public final class StageOperatorException extends RuntimeException {

    private final String where;

    public StageOperatorException(String where, RuntimeException cause) {
        super(where + ": " + cause.getMessage(), cause);
        this.where = where;
    }

    /**
     * @param operator how users know the operator, for example "stage `decode` [decode@1.0.0]"
     * @param in the element being processed: an input message's position is named when known
     */
    public static StageOperatorException at(
            String operator, String recordingId, Object in, RuntimeException cause) {
        String at =
                in instanceof EncodedChunk c
                        ? ", chunk "
                                + c.seq
                                + (c.offset >= 0
                                        ? " ("
                                                + c.topic
                                                + " partition "
                                                + c.partition
                                                + " offset "
                                                + c.offset
                                                + ")"
                                        : "")
                        : in instanceof AudioChunk a ? ", frame " + a.startFrame : "";
        return new StageOperatorException(
                operator + " on recording `" + recordingId + "`" + at, cause);
    }

    /** The operator, the recording and, for input messages, their topic, partition and offset. */
    public String where() {
        return where;
    }
}
