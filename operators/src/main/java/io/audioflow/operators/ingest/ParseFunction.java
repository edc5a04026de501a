package io.audioflow.operators.ingest;

import io.audioflow.operators.functions.StageOutputs;
import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.pipeline.ingest.ChunkParser;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Checks each input message against the contract: chunks go on, the rest to the dead letters. */
public class ParseFunction extends ProcessFunction<RawMessage, EncodedChunk> {

    private final ChunkParser parser;

    public ParseFunction(ChunkParser parser) {
        this.parser = parser;
    }

    @Override
    public void processElement(RawMessage in, Context ctx, Collector<EncodedChunk> out) {
        ChunkParser.Parsed parsed = parser.parse(in.toIncoming());
        if (parsed.chunk() != null) out.collect(parsed.chunk());
        else ctx.output(StageOutputs.DEAD_LETTERS, parsed.rejected());
    }
}
