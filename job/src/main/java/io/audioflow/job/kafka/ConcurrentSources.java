package io.audioflow.job.kafka;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Files published the way many producers publish them at the same time: the files are dealt to
 * {@code sources} sources (file i to source i mod N), every source publishes its files one after
 * another, and the sources interleave their messages, so that up to N recordings are open at once.
 *
 * <p>In real time a message is due when the audio it carries has been recorded: message k of m of a
 * recording of d seconds at the recording's start + (k + 1)·d/m, the next recording of a source
 * starting when the previous one's audio ends, and the sources starting spread over one chunk's
 * length so that they do not all send in the same millisecond. Otherwise the sources take turns,
 * one message each, as fast as the broker takes them.
 *
 * <p>A source reads its next file only when it starts it, so memory holds at most one recording per
 * source.
 */
public final class ConcurrentSources {

    /** Reads a file into its messages. */
    @FunctionalInterface
    public interface Reader {
        ChunkPublisher.Recording read(Path file) throws IOException;
    }

    /** Sends one message; called in order. */
    @FunctionalInterface
    public interface Sender {
        void send(ProducerRecord<byte[], byte[]> record) throws Exception;
    }

    /** How a run went: when it started (epoch ms) and how late the latest message was sent. */
    public record Run(long startEpochMillis, long maxLateMillis, int failedFiles) {}

    private final List<Deque<Path>> sources = new ArrayList<>();
    private final long chunkMs;
    private final boolean realTime;

    public ConcurrentSources(List<Path> files, int sourceCount, long chunkMs, boolean realTime) {
        if (sourceCount < 1) throw new IllegalArgumentException("--sources must be at least 1");
        int n = Math.min(sourceCount, Math.max(1, files.size()));
        for (int j = 0; j < n; j++) sources.add(new ArrayDeque<>());
        for (int i = 0; i < files.size(); i++) sources.get(i % n).add(files.get(i));
        this.chunkMs = chunkMs;
        this.realTime = realTime;
    }

    /**
     * Publishes every file; calls {@code published} for each recording as it starts and {@code
     * skipped} for a file that cannot be read.
     */
    public Run publish(
            Reader reader,
            Sender sender,
            Consumer<ChunkPublisher.Published> published,
            Consumer<String> skipped)
            throws Exception {
        long startEpoch = System.currentTimeMillis();
        long start = System.nanoTime();
        int failed = 0;
        PriorityQueue<Source> due =
                new PriorityQueue<>(
                        Comparator.comparingDouble((Source s) -> s.dueMillis)
                                .thenComparingInt(s -> s.index));
        for (int j = 0; j < sources.size(); j++) {
            Source s =
                    new Source(
                            j,
                            sources.get(j),
                            realTime ? (double) j * chunkMs / sources.size() : 0);
            failed += s.next(reader, published, skipped);
            if (s.current != null) due.add(s);
        }
        long maxLate = 0;
        while (!due.isEmpty()) {
            Source s = due.poll();
            if (realTime) {
                long waitMillis = Math.round(s.dueMillis) - (System.nanoTime() - start) / 1_000_000;
                if (waitMillis > 0) Thread.sleep(waitMillis);
                else maxLate = Math.max(maxLate, -waitMillis);
            }
            sender.send(s.current.messages().get(s.message));
            s.message++;
            if (s.message == s.current.messages().size()) {
                failed += s.next(reader, published, skipped);
            } else {
                s.dueMillis = s.dueOf(s.message);
            }
            if (s.current != null) due.add(s);
        }
        return new Run(startEpoch, maxLate, failed);
    }

    private final class Source {
        final int index;
        final Deque<Path> files;
        ChunkPublisher.Recording current;
        int message;
        double startMillis; // of the current recording, in real time
        double perMessageMillis;
        double dueMillis;
        long turns; // messages sent, when taking turns

        Source(int index, Deque<Path> files, double startMillis) {
            this.index = index;
            this.files = files;
            this.startMillis = startMillis;
        }

        /** Moves to the next readable file; returns how many unreadable ones it passed. */
        int next(
                Reader reader,
                Consumer<ChunkPublisher.Published> published,
                Consumer<String> skipped) {
            if (current != null) startMillis += perMessageMillis * current.messages().size();
            current = null;
            int failed = 0;
            while (current == null && !files.isEmpty()) {
                Path file = files.poll();
                try {
                    ChunkPublisher.Recording r = reader.read(file);
                    if (r.messages().isEmpty()) continue;
                    current = r;
                } catch (IOException e) {
                    failed++;
                    skipped.accept(file + ": " + e.getMessage());
                }
            }
            if (current == null) return failed;
            published.accept(current.published());
            message = 0;
            double seconds = current.published().audioSeconds();
            // A compressed file of unknown length goes at one piece per chunk length.
            perMessageMillis =
                    Double.isNaN(seconds) ? chunkMs : seconds * 1000 / current.messages().size();
            dueMillis = dueOf(0);
            return failed;
        }

        double dueOf(int k) {
            return realTime ? startMillis + (k + 1) * perMessageMillis : turns++;
        }
    }
}
