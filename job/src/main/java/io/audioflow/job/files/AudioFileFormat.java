package io.audioflow.job.files;

import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.pipeline.runtime.FileChunks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.SingletonResultIterator;

/**
 * Audio files as the chunks a producer would publish, for Flink's {@code FileSource}: each file is
 * one recording (its id the file name), read from any Flink file system a chunk at a time, never
 * whole unless its format is decoded whole. Files are not split; a restored reader skips the chunks
 * it had handed on.
 */
public final class AudioFileFormat implements BulkFormat<EncodedChunk, FileSourceSplit> {

    private final FileChunks chunks;

    /** {@code chunks} says how headerless files are to be read. */
    public AudioFileFormat(FileChunks chunks) {
        this.chunks = chunks;
    }

    @Override
    public Reader<EncodedChunk> createReader(Configuration config, FileSourceSplit split)
            throws IOException {
        return new ChunkReader(split, 0);
    }

    @Override
    public Reader<EncodedChunk> restoreReader(Configuration config, FileSourceSplit split)
            throws IOException {
        long done =
                split.getReaderPosition()
                        .map(CheckpointedPosition::getRecordsAfterOffset)
                        .orElse(0L);
        return new ChunkReader(split, done);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<EncodedChunk> getProducedType() {
        return TypeInformation.of(EncodedChunk.class);
    }

    /** One chunk per batch, with the count of chunks before it as its position. */
    private final class ChunkReader implements Reader<EncodedChunk> {
        private final String id;
        private final InputStream in;
        private final Iterator<EncodedChunk> next;
        private long emitted;
        private boolean failed;

        ChunkReader(FileSourceSplit split, long skip) throws IOException {
            id = split.path().getName();
            in = split.path().getFileSystem().open(split.path());
            next = chunks.chunks(id, in);
            while (emitted < skip && next.hasNext()) {
                next.next();
                emitted++;
            }
        }

        @Override
        public RecordIterator<EncodedChunk> readBatch() {
            if (failed || !next.hasNext()) return null;
            EncodedChunk chunk;
            try {
                chunk = next.next();
            } catch (UncheckedIOException e) {
                // The decode stage reports it as it would a producer's unreadable message.
                failed = true;
                chunk = FileChunks.unreadable(id, e);
            }
            SingletonResultIterator<EncodedChunk> batch = new SingletonResultIterator<>();
            batch.set(chunk, CheckpointedPosition.NO_OFFSET, ++emitted);
            return batch;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
