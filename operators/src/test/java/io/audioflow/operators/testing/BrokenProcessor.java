package io.audioflow.operators.testing;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.AudioProcessor;
import io.audioflow.api.ConfigOption;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.FormatRequirement;
import io.audioflow.api.PluginInfo;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.StageExecutionException;
import io.audioflow.api.StageKind;
import io.audioflow.api.StreamFormat;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;

/** A test processor that passes audio through until its {@code fail_at_chunk}-th chunk. */
public final class BrokenProcessor implements AudioProcessor {

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("broken-processor", "1.0.0", StageKind.PROCESSOR)
                .options(
                        ConfigOption.integer(
                                "fail_at_chunk", 0L, 0L, 1000L, "0-based chunk that fails"))
                .build();
    }

    @Override
    public FormatRequirement accepts(StageConfig config) {
        return FormatRequirement.ANY;
    }

    @Override
    public StreamFormat outputFormat(StreamFormat input, StageConfig config) {
        return input;
    }

    @Override
    public ProcessorSession open(AudioFormat input, StageContext context) {
        return new Session(input, context.config().getInt("fail_at_chunk"), 0);
    }

    @Override
    public ProcessorSession restore(AudioFormat input, StageContext context, DataInput in)
            throws IOException {
        return new Session(input, context.config().getInt("fail_at_chunk"), in.readInt());
    }

    private static final class Session implements ProcessorSession {
        private final AudioFormat format;
        private final int failAt;
        private int chunks;

        Session(AudioFormat format, int failAt, int chunks) {
            this.format = format;
            this.failAt = failAt;
            this.chunks = chunks;
        }

        @Override
        public void process(AudioBlock in, Consumer<AudioBlock> out) {
            if (chunks++ == failAt)
                throw new StageExecutionException(
                        ErrorCode.STAGE_FAILED, "broken at chunk " + failAt);
            out.accept(in);
        }

        @Override
        public void finish(Consumer<AudioBlock> out) {}

        @Override
        public AudioFormat outputFormat() {
            return format;
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeInt(chunks);
        }
    }
}
