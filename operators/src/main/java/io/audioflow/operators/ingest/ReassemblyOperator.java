package io.audioflow.operators.ingest;

import io.audioflow.operators.model.EncodedChunk;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Runs the {@link ChunkReassembler} and, after a restore or a rescale, counts the recordings that
 * are open in the key groups this subtask now owns, so the {@code openRecordings} gauge starts from
 * the truth rather than from zero. Only an operator can list the keys of its state.
 */
public final class ReassemblyOperator
        extends KeyedProcessOperator<String, EncodedChunk, EncodedChunk> {

    public ReassemblyOperator(ReassemblyLimits limits) {
        super(new ChunkReassembler(limits));
    }

    @Override
    public void open() throws Exception {
        super.open();
        try (Stream<?> open =
                getKeyedStateBackend()
                        .getKeys(ChunkReassembler.SHAPE_STATE, VoidNamespace.INSTANCE)) {
            ((ChunkReassembler) getUserFunction()).restoredOpenRecordings(open.count());
        }
    }
}
