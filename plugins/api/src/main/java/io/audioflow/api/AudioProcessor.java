package io.audioflow.api;

import java.io.DataInput;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;

/** Audio in, audio out: resample, downmix, normalize, trim, DC removal. */
public interface AudioProcessor extends StagePlugin {

    FormatRequirement accepts(StageConfig config);

    /** The format this stage produces from {@code input}, known before any audio flows. */
    StreamFormat outputFormat(StreamFormat input, StageConfig config);

    ProcessorSession open(AudioFormat input, StageContext context);

    /**
     * A state as {@code open} gives it, then what it wrote read back (see StageState#readState).
     */
    default ProcessorSession restore(AudioFormat input, StageContext context, DataInput in)
            throws IOException {
        ProcessorSession state = open(input, context);
        state.readState(in);
        return state;
    }

    /** One recording being processed; carries filter memory from one block to the next. */
    interface ProcessorSession extends StageState {

        void process(AudioBlock in, Consumer<AudioBlock> out);

        void finish(Consumer<AudioBlock> out);

        AudioFormat outputFormat();

        /** What this session changed, recorded in the result's provenance (e.g. from/to rate). */
        default Map<String, String> changes() {
            return Map.of();
        }
    }
}
