package io.audioflow.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ConcurrentSourcesTest {

    /** Recordings named after their file: "a-2-0.04" has 2 messages and 0.04 s of audio. */
    private static ChunkPublisher.Recording read(Path file) throws IOException {
        String[] parts = file.toString().split("-");
        if (parts[0].equals("broken")) throw new IOException("not audio");
        int messages = Integer.parseInt(parts[1]);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int k = 0; k < messages; k++) {
            records.add(
                    new ProducerRecord<>(
                            "t",
                            parts[0].getBytes(StandardCharsets.UTF_8),
                            String.valueOf(k).getBytes(StandardCharsets.UTF_8)));
        }
        return new ChunkPublisher.Recording(
                records,
                new ChunkPublisher.Published(parts[0], messages, 0, Double.parseDouble(parts[2])));
    }

    private static List<String> publish(ConcurrentSources sources, List<String> skipped)
            throws Exception {
        List<String> sent = new ArrayList<>();
        sources.publish(
                ConcurrentSourcesTest::read,
                r ->
                        sent.add(
                                new String(r.key(), StandardCharsets.UTF_8)
                                        + new String(r.value(), StandardCharsets.UTF_8)),
                p -> {},
                skipped::add);
        return sent;
    }

    private static List<Path> files(String... names) {
        return java.util.Arrays.stream(names).map(Path::of).toList();
    }

    @Test
    void sourcesTakeTurnsAndEachSendsItsFilesOneAfterAnother() throws Exception {
        ConcurrentSources two =
                new ConcurrentSources(files("a-2-1", "b-3-1", "c-1-1"), 2, 1000, false);
        assertThat(publish(two, new ArrayList<>()))
                .containsExactly("a0", "b0", "a1", "b1", "c0", "b2");
    }

    @Test
    void oneSourceIsOneFileAfterAnother() throws Exception {
        ConcurrentSources one = new ConcurrentSources(files("a-2-1", "b-2-1"), 1, 1000, false);
        assertThat(publish(one, new ArrayList<>())).containsExactly("a0", "a1", "b0", "b1");
    }

    @Test
    void inRealTimeEachMessageWaitsForItsAudio() throws Exception {
        // chunks of 20 ms: a's are due at 20 and 40 ms, b's (starting 10 ms later) at 30 and 50
        ConcurrentSources live = new ConcurrentSources(files("a-2-0.04", "b-2-0.04"), 2, 20, true);
        long started = System.nanoTime();
        assertThat(publish(live, new ArrayList<>())).containsExactly("a0", "b0", "a1", "b1");
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(49);
    }

    @Test
    void anUnreadableFileIsSkippedAndItsSourceGoesOn() throws Exception {
        List<String> skipped = new ArrayList<>();
        ConcurrentSources sources =
                new ConcurrentSources(files("broken-1-1", "b-1-1", "c-1-1"), 2, 1000, false);
        assertThat(publish(sources, skipped)).containsExactly("c0", "b0");
        assertThat(skipped).singleElement().asString().contains("broken").contains("not audio");
    }
}
