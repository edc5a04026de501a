package io.audioflow.job.control;

import io.audioflow.operators.control.ConfigApplied;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Holds an accepted update's answer until every config stamper subtask has applied its version, so
 * "accepted" means applied: a recording published after the answer runs under the new version. One
 * subtask; both inputs keyed by {@link ControlValidator#KEY}; what waits is checkpointed.
 */
public final class AckWhenApplied
        extends KeyedCoProcessFunction<String, String, ConfigApplied, String> {

    private final int stampers;
    private transient MapState<Long, String> answers;
    private transient MapState<String, Boolean> applied; // "version/subtask"

    /**
     * @param stampers the parallelism of the config stamper
     */
    public AckWhenApplied(int stampers) {
        this.stampers = stampers;
    }

    @Override
    public void open(OpenContext openContext) {
        answers =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("answers", Types.LONG, Types.STRING));
        applied =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("applied", Types.STRING, Types.BOOLEAN));
    }

    @Override
    public void processElement1(String answer, Context ctx, Collector<String> out)
            throws Exception {
        long version = ControlAck.parse(answer).configVersion();
        answers.put(version, answer);
        release(version, out);
    }

    @Override
    public void processElement2(ConfigApplied notice, Context ctx, Collector<String> out)
            throws Exception {
        applied.put(notice.version() + "/" + notice.subtask(), true);
        release(notice.version(), out);
    }

    private void release(long version, Collector<String> out) throws Exception {
        String answer = answers.get(version);
        if (answer == null) return;
        for (int s = 0; s < stampers; s++) if (!applied.contains(version + "/" + s)) return;
        out.collect(answer);
        answers.remove(version);
        for (int s = 0; s < stampers; s++) applied.remove(version + "/" + s);
    }
}
