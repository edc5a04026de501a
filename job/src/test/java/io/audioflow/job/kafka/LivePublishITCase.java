package io.audioflow.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.job.cli.CliRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** `publish --real-time` sends recordings at once, each at the pace of its audio. */
class LivePublishITCase {

    @Test
    void publishesEveryRecordingAtOnceAtThePaceOfItsAudio() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            KafkaSettings topics = KafkaFixture.freshTopics(kafka, 1);
            CliRunner.Run run =
                    CliRunner.withEnv(Map.of())
                            .run(
                                    "publish",
                                    "--bootstrap-servers",
                                    kafka.bootstrapServers(),
                                    "--topic",
                                    topics.inputTopic(),
                                    "--chunk-ms",
                                    "500",
                                    "--real-time",
                                    KafkaFixture.AUDIO.resolve("sine-1k-16k-mono.wav").toString(),
                                    KafkaFixture.AUDIO
                                            .resolve("speechlike-44k-stereo.wav")
                                            .toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).contains("published in real time from");

            Map<String, List<ConsumerRecord<byte[], byte[]>>> byRecording = new HashMap<>();
            List<String> arrival = new ArrayList<>();
            Properties props = new Properties();
            props.put("bootstrap.servers", kafka.bootstrapServers());
            props.put("auto.offset.reset", "earliest");
            try (KafkaConsumer<byte[], byte[]> consumer =
                    new KafkaConsumer<>(
                            props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.assign(
                        List.of(
                                new org.apache.kafka.common.TopicPartition(
                                        topics.inputTopic(), 0)));
                long deadline = System.currentTimeMillis() + 30_000;
                while (arrival.size() < 4 + 6 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        String id = new String(r.key(), StandardCharsets.UTF_8);
                        arrival.add(id);
                        byRecording.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
                    }
                }
            }
            // 2 s and 3 s of audio in 0.5 s chunks
            assertThat(byRecording.get("sine-1k-16k-mono.wav")).hasSize(4);
            assertThat(byRecording.get("speechlike-44k-stereo.wav")).hasSize(6);
            // At once: the 3 s recording's chunks do not wait for the 2 s one to finish.
            assertThat(arrival.subList(0, 4)).contains("speechlike-44k-stereo.wav");
            // At the pace of the audio: the 3 s recording's chunks span about 2.5 s.
            List<ConsumerRecord<byte[], byte[]>> speech =
                    byRecording.get("speechlike-44k-stereo.wav");
            long span = speech.get(5).timestamp() - speech.get(0).timestamp();
            assertThat(span).isBetween(2_300L, 4_000L);
        }
    }
}
