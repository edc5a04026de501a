package io.audioflow.operators.ingest;

import io.audioflow.pipeline.ingest.IncomingRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * An input message exactly as the source read it, before any checks: a Flink POJO, so that the
 * source's deserializer never fails and every check happens in {@link ParseFunction}, where a bad
 * message can go to the dead letters.
 */
public class RawMessage {
    public byte[] key;
    public byte[] value;
    public String[] headerKeys = new String[0];
    public byte[][] headerValues = new byte[0][];
    public String topic = "";
    public int partition = -1;
    public long offset = -1;
    public long timestamp = -1;

    public RawMessage() {}

    public IncomingRecord toIncoming() {
        List<IncomingRecord.Header> headers = new ArrayList<>(headerKeys.length);
        for (int i = 0; i < headerKeys.length; i++)
            headers.add(new IncomingRecord.Header(headerKeys[i], headerValues[i]));
        return new IncomingRecord(key, value, headers, topic, partition, offset, timestamp);
    }
}
