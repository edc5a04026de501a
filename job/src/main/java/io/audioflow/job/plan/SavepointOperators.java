package io.audioflow.job.plan;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;

/**
 * The operators that hold state in a savepoint or retained checkpoint, read from its {@code
 * _metadata} with Flink's own reader (no state is loaded). Flink refuses to restore such state into
 * a job without the operator unless {@code --allow-non-restored-state} is given: this is the list
 * it checks.
 */
public final class SavepointOperators {

    /**
     * One operator's state: its uid when the savepoint recorded it (Flink 2 does), its id always.
     */
    public record Stateful(String operatorId, Optional<String> uid, long bytes) {

        /** Whether this is the state of the operator with {@code uid}. */
        public boolean belongsTo(String candidate) {
            return uid.map(candidate::equals).orElse(false)
                    || operatorId.equals(idOf(candidate).toHexString());
        }
    }

    private SavepointOperators() {}

    /** {@code path}: a savepoint or checkpoint directory, or its {@code _metadata} file. */
    public static List<Stateful> read(Path path) throws IOException {
        Path metadata = Files.isDirectory(path) ? path.resolve("_metadata") : path;
        if (!Files.isRegularFile(metadata))
            throw new IOException(
                    "no savepoint at "
                            + path
                            + ": expected a savepoint or checkpoint directory with a _metadata file");
        CheckpointMetadata loaded;
        try (InputStream in = Files.newInputStream(metadata)) {
            loaded =
                    Checkpoints.loadCheckpointMetadata(
                            new DataInputStream(in),
                            SavepointOperators.class.getClassLoader(),
                            metadata.getParent().toString());
        }
        List<Stateful> stateful = new ArrayList<>();
        for (OperatorState op : loaded.getOperatorStates()) {
            // The same test Flink applies before it refuses a restore.
            boolean holdsState =
                    op.getCoordinatorState() != null
                            || op.getStates().stream().anyMatch(OperatorSubtaskState::hasState);
            if (holdsState)
                stateful.add(
                        new Stateful(
                                op.getOperatorID().toHexString(),
                                op.getOperatorUid(),
                                op.getStateSize()));
        }
        return stateful;
    }

    /** The operator id Flink derives from a uid, to match savepoints that did not record uids. */
    static OperatorID idOf(String uid) {
        return new OperatorID(StreamGraphHasherV2.generateUserSpecifiedHash(uid));
    }
}
