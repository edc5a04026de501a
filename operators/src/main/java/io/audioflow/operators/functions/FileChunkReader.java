package io.audioflow.operators.functions;

import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.pipeline.runtime.FileChunks;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Local files as chunks in a Flink job (see {@link FileChunks}). */
public class FileChunkReader implements FlatMapFunction<String, EncodedChunk> {

    private final FileChunks files;

    /** {@code rawFormat}, {@code sampleRate} and {@code channels} apply to headerless files. */
    public FileChunkReader(String rawFormat, int sampleRate, int channels) {
        this.files = new FileChunks(rawFormat, sampleRate, channels);
    }

    @Override
    public void flatMap(String file, Collector<EncodedChunk> out) {
        files.read(Path.of(file), out::collect);
    }
}
