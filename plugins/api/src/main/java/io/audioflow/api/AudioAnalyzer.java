package io.audioflow.api;

import java.io.DataInput;
import java.io.IOException;
import java.util.List;

/**
 * Measures audio incrementally: a recording is fed block by block into a bounded accumulator and
 * the metrics come out at the end, so a three-hour recording needs the memory of a three-second
 * one. Feeding the same audio in blocks of any size must give the same metrics.
 */
public interface AudioAnalyzer extends StagePlugin {

    FormatRequirement accepts(StageConfig config);

    Accumulator open(AudioFormat format, StageContext context);

    /**
     * A state as {@code open} gives it, then what it wrote read back (see StageState#readState).
     */
    default Accumulator restore(AudioFormat format, StageContext context, DataInput in)
            throws IOException {
        Accumulator state = open(format, context);
        state.readState(in);
        return state;
    }

    interface Accumulator extends StageState {

        void accept(AudioBlock block);

        /**
         * The metrics of everything accepted so far, in the order of {@link PluginInfo#metrics()}.
         */
        List<QualityMetric> result();

        /**
         * Metrics of the audio accepted most recently, for live monitoring while a recording is
         * still arriving (the job's optional per-chunk topic); not part of the result. Called after
         * {@link #accept}, so it should be cheap. Empty when the analyzer has nothing meaningful
         * before the end.
         */
        default List<QualityMetric> progress() {
            return List.of();
        }

        /**
         * The frames of this analyzer's {@link PluginInfo#products()} completed by the block
         * accepted last (each track only those frames), passed on with that block to the stages
         * that depend on this one. Called after {@link #accept}.
         */
        default List<FrameTrack> tracks() {
            return List.of();
        }
    }
}
