package io.audioflow.pipeline.ingest;

import java.util.List;

/** A message as the source hands it over: what the parser needs of a Kafka ConsumerRecord. */
public record IncomingRecord(
        byte[] key,
        byte[] value,
        List<Header> headers,
        String topic,
        int partition,
        long offset,
        long timestamp) {

    public record Header(String key, byte[] value) {}
}
