package io.audioflow.job.replay;

import io.audioflow.job.kafka.ChunkPublisher;
import io.audioflow.job.kafka.KafkaConnection;
import io.audioflow.pipeline.ingest.ChunkHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Publishes failed recordings again after a fix: every chunk of each selected dead letter's
 * recording (a recording that failed part-way is analysed again whole, not from where it failed),
 * taken from the input topic or from a file the user supplies, under the recording's {@link
 * ReplayKey} and into the partition the original used, so the next replay finds it there and does
 * not publish the same attempt twice.
 */
public final class Replayer {

    /** What became of one recording. */
    public sealed interface Outcome {
        String key();
    }

    /** Published (or, in a dry run, would be) as {@code target}. */
    public record Replayed(String key, String target, int chunks, long bytes, String from)
            implements Outcome {}

    /** The same attempt is already in the input topic. */
    public record AlreadyReplayed(String key, String target) implements Outcome {}

    public record CannotReplay(String key, String reason) implements Outcome {}

    private static final Duration SCAN_TIMEOUT = Duration.ofMinutes(10);

    private final KafkaConnection connection;
    private final String inputTopic;
    private final String dlqTopic;
    private final Map<String, Path> files;
    private final long chunkMs;

    /**
     * @param files replacement bytes by recording id (the dead letter's key or its original id)
     */
    public Replayer(
            KafkaConnection connection,
            String inputTopic,
            String dlqTopic,
            Map<String, Path> files,
            long chunkMs) {
        this.connection = connection;
        this.inputTopic = inputTopic;
        this.dlqTopic = dlqTopic;
        this.files = Map.copyOf(files);
        this.chunkMs = chunkMs;
    }

    /** The selected dead letters, and how many had no key (those cannot be replayed). */
    public record Selected(Map<String, Integer> partitionByKey, int withoutKey) {}

    public Selected select(DeadLetterSelection selection) {
        Map<String, Integer> partitionByKey = new TreeMap<>();
        int withoutKey = 0;
        try (TopicScan scan = new TopicScan(connection)) {
            for (ConsumerRecord<byte[], byte[]> d :
                    scan.read(scan.partitionsOf(dlqTopic), selection::matches, SCAN_TIMEOUT)) {
                if (d.key() == null) {
                    withoutKey++;
                    continue;
                }
                String partition = DeadLetterSelection.header(d, "audioflow.error.orig.partition");
                partitionByKey.putIfAbsent(
                        new String(d.key(), StandardCharsets.UTF_8),
                        partition == null ? -1 : Integer.parseInt(partition));
            }
        }
        return new Selected(partitionByKey, withoutKey);
    }

    public List<Outcome> replay(Selected selected, boolean dryRun) throws Exception {
        Map<String, ReplayKey> targets = new LinkedHashMap<>();
        selected.partitionByKey().keySet().forEach(k -> targets.put(k, ReplayKey.after(k)));
        Set<String> wanted = new HashSet<>(targets.keySet());
        targets.values().forEach(t -> wanted.add(t.key()));

        Set<Integer> partitions = new HashSet<>(selected.partitionByKey().values());
        partitions.remove(-1);
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = new LinkedHashMap<>();
        try (TopicScan scan = new TopicScan(connection)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (TopicPartition tp : scan.partitionsOf(inputTopic))
                if (partitions.contains(tp.partition())) tps.add(tp);
            if (!tps.isEmpty())
                for (ConsumerRecord<byte[], byte[]> r :
                        scan.read(
                                tps,
                                r -> r.key() != null && wanted.contains(keyOf(r)),
                                SCAN_TIMEOUT))
                    byKey.computeIfAbsent(keyOf(r), k -> new ArrayList<>()).add(r);
        }

        List<Outcome> outcomes = new ArrayList<>();
        try (ChunkPublisher publisher =
                new ChunkPublisher(connection, inputTopic, chunkMs, Map.of())) {
            for (var e : targets.entrySet()) {
                String key = e.getKey();
                ReplayKey target = e.getValue();
                int partition = selected.partitionByKey().get(key);
                if (byKey.containsKey(target.key())) {
                    outcomes.add(new AlreadyReplayed(key, target.key()));
                    continue;
                }
                Path file = files.getOrDefault(key, files.get(target.original()));
                List<ProducerRecord<byte[], byte[]>> chunks;
                String from;
                if (file != null) {
                    chunks = publisher.messages(file, target.key(), "pcm_s16le", 0, 0).messages();
                    from = file.toString();
                } else {
                    TopicChunks fromTopic = chunksOf(key, byKey.getOrDefault(key, List.of()));
                    if (fromTopic instanceof Missing m) {
                        outcomes.add(new CannotReplay(key, m.reason()));
                        continue;
                    }
                    chunks = ((Found) fromTopic).records();
                    from = inputTopic + "[" + partition + "]";
                }
                List<ProducerRecord<byte[], byte[]>> marked = marked(chunks, target, partition);
                long bytes =
                        marked.stream()
                                .mapToLong(r -> r.value() == null ? 0 : r.value().length)
                                .sum();
                if (!dryRun) publisher.sendAll(marked);
                outcomes.add(new Replayed(key, target.key(), marked.size(), bytes, from));
            }
        }
        return outcomes;
    }

    /** A recording's chunks as the input topic still holds them. */
    private sealed interface TopicChunks {}

    private record Found(List<ProducerRecord<byte[], byte[]>> records) implements TopicChunks {}

    private record Missing(String reason) implements TopicChunks {}

    /** Every chunk of the recording, once each by number, or why they are not all there. */
    private TopicChunks chunksOf(String key, List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Long, ConsumerRecord<byte[], byte[]>> bySeq = new TreeMap<>();
        long last = -1;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String seq = DeadLetterSelection.header(r, ChunkHeaders.SEQ);
            if (seq == null) continue;
            long n;
            try {
                n = Long.parseLong(seq.trim());
            } catch (NumberFormatException e) {
                continue;
            }
            bySeq.putIfAbsent(n, r);
            if ("true".equals(DeadLetterSelection.header(r, ChunkHeaders.LAST)))
                last = Math.max(last, n);
        }
        List<Long> missing = new ArrayList<>();
        if (last < 0)
            return new Missing(
                    "its last chunk is not in "
                            + inputTopic
                            + " (never sent, or gone with the topic's retention); give the"
                            + " recording's bytes with --file "
                            + key
                            + "=PATH");
        for (long n = 0; n <= last; n++) if (!bySeq.containsKey(n)) missing.add(n);
        if (!missing.isEmpty())
            return new Missing(
                    "chunks "
                            + missing
                            + " are not in "
                            + inputTopic
                            + " (gone with the topic's retention?); give the recording's bytes with"
                            + " --file "
                            + key
                            + "=PATH");
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (long n = 0; n <= last; n++) {
            ConsumerRecord<byte[], byte[]> r = bySeq.get(n);
            out.add(
                    new ProducerRecord<byte[], byte[]>(
                            inputTopic, null, r.key(), r.value(), List.of(r.headers().toArray())));
        }
        return new Found(out);
    }

    /** The chunks under the replay's key, in the original's partition, with the replay noted. */
    private List<ProducerRecord<byte[], byte[]>> marked(
            List<ProducerRecord<byte[], byte[]>> chunks, ReplayKey target, int partition) {
        byte[] key = target.key().getBytes(StandardCharsets.UTF_8);
        String replayOf = ChunkHeaders.META_PREFIX + ChunkHeaders.META_REPLAY_OF;
        String attempt = ChunkHeaders.META_PREFIX + ChunkHeaders.META_REPLAY_ATTEMPT;
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> c : chunks) {
            List<Header> headers = new ArrayList<>();
            boolean first = false;
            for (Header h : c.headers()) {
                if (h.key().equals(replayOf) || h.key().equals(attempt)) continue;
                headers.add(h);
                if (h.key().equals(ChunkHeaders.SEQ)
                        && new String(h.value(), StandardCharsets.UTF_8).trim().equals("0"))
                    first = true;
            }
            if (first) {
                headers.add(new RecordHeader(replayOf, utf8(target.original())));
                headers.add(new RecordHeader(attempt, utf8(String.valueOf(target.attempt()))));
            }
            out.add(
                    new ProducerRecord<>(
                            inputTopic,
                            partition >= 0 ? partition : null,
                            key,
                            c.value(),
                            headers));
        }
        return out;
    }

    private static String keyOf(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
