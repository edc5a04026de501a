package io.audioflow.operators.ingest;

import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs the {@link ChunkReassembler} and does what only an operator can, because it can list the
 * keys of its state: after a restore or a rescale it counts the recordings open in the key groups
 * this subtask now owns, so the {@code openRecordings} gauge starts from the truth; and when a
 * bounded input ends, it closes every recording still open as incomplete, so each still gets its
 * result (an idle timer would never fire once the job has finished).
 */
public final class ReassemblyOperator
        extends KeyedProcessOperator<String, EncodedChunk, EncodedChunk>
        implements BoundedOneInput {

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

    @Override
    public void endInput() throws Exception {
        List<String> open;
        try (Stream<?> keys =
                getKeyedStateBackend()
                        .getKeys(ChunkReassembler.SHAPE_STATE, VoidNamespace.INSTANCE)) {
            open = keys.map(String.class::cast).toList(); // closing changes the state it reads
        }
        ChunkReassembler reassembler = (ChunkReassembler) getUserFunction();
        for (String key : open) {
            setCurrentKey(key);
            reassembler.endOfInput(
                    key,
                    d -> output.collect(ChunkReassembler.DEAD_LETTERS, new StreamRecord<>(d)),
                    c -> output.collect(new StreamRecord<>(c)));
        }
    }
}
