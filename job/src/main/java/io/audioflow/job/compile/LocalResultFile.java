package io.audioflow.job.compile;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * analyze's result sink: one JSON line per recording into a file of the CLI's machine, which the
 * CLI reads once the job has finished. Only for the embedded Flink, which runs in the CLI's own
 * process. {@code executeAndCollect} would instead have the CLI poll the job ten times a second
 * (job status and a coordination request, each through Flink's RPC) for as long as it runs: 0.2 to
 * 0.4 CPU-seconds of an hour's analysis. An accumulator would not poll, but Flink sends a running
 * task's accumulators with every heartbeat, so its cost would grow with the number of files.
 */
final class LocalResultFile implements Sink<String> {

    private final String path; // a sink is serialized with the job graph, and a Path is not

    LocalResultFile(Path path) {
        this.path = path.toString();
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) throws IOException {
        // A restarted job replays every file: the lines of an earlier attempt go.
        return new Writer(Files.newBufferedWriter(Path.of(path), StandardCharsets.UTF_8));
    }

    private record Writer(BufferedWriter out) implements SinkWriter<String> {
        @Override
        public void write(String json, Context context) throws IOException {
            out.write(json);
            out.newLine();
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
