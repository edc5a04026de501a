package io.audioflow.job.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** What the state-size ITCases read: a running job's committed input and retained checkpoints. */
final class CheckpointProbe {

    private CheckpointProbe() {}

    /**
     * Until the job's consumer group has committed the end of the input: offsets are committed when
     * a checkpoint completes, so that checkpoint holds every recording open.
     */
    static void awaitCommitted(EmbeddedKafka kafka, KafkaSettings topics, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = kafka.admin()) {
            var partitions =
                    admin
                            .describeTopics(List.of(topics.inputTopic()))
                            .allTopicNames()
                            .get()
                            .get(topics.inputTopic())
                            .partitions()
                            .stream()
                            .map(p -> new TopicPartition(topics.inputTopic(), p.partition()))
                            .toList();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (TopicPartition tp : partitions) latest.put(tp, OffsetSpec.latest());
            var ends = admin.listOffsets(latest).all().get();
            while (true) {
                var committed =
                        admin.listConsumerGroupOffsets(topics.groupId())
                                .partitionsToOffsetAndMetadata()
                                .get();
                boolean done =
                        partitions.stream()
                                .allMatch(
                                        tp ->
                                                committed.get(tp) != null
                                                        && committed.get(tp).offset()
                                                                >= ends.get(tp).offset());
                if (done) return;
                if (System.nanoTime() > deadline)
                    throw new AssertionError(
                            "the job did not commit the input within "
                                    + timeout
                                    + ": "
                                    + committed);
                Thread.sleep(200);
            }
        }
    }

    /** The size of the first checkpoint the running job completes. */
    static long awaitCheckpointSize(Path checkpoints, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var latest = RetainedCheckpoints.latest(checkpoints);
            if (latest.isPresent()) {
                try {
                    return sizeOf(latest.get());
                } catch (UncheckedIOException e) {
                    // subsumed and deleted while being read: the next one will do
                    if (!(e.getCause() instanceof NoSuchFileException)) throw e;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no checkpoint within " + timeout);
    }

    static long sizeOf(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(
                            f -> {
                                try {
                                    return Files.size(f);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Best effort: the cancelled job's cluster may still be aborting a checkpoint into the folder;
     * what is left is in the temporary directory.
     */
    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList())
                Files.deleteIfExists(p);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("left behind: " + dir + " (" + e + ")");
        }
    }
}
