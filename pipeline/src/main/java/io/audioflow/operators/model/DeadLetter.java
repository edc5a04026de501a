package io.audioflow.operators.model;

/**
 * A message that could not be processed, as the DLQ topic receives it: the original key, value and
 * headers unchanged, plus error fields that the sink writes as {@code audioflow.error.*} headers,
 * in the manner of Kafka Connect's dead-letter queue.
 */
public class DeadLetter {
    public byte[] key;
    public byte[] value;
    public String[] headerKeys = new String[0];
    public byte[][] headerValues = new byte[0][];

    public String recordingId;
    public String code;
    public String message;
    public String stage;
    public String processor;
    public String exceptionClass;
    public int attempts = 1;
    public String topic = "";
    public int partition = -1;
    public long offset = -1;
    public long timestamp = -1;

    public DeadLetter() {}

    /**
     * A dead letter for a recording whose audio a stage could not process: no single input message
     * is to blame, so the value is empty and the key names the recording.
     */
    public static DeadLetter forRecording(String recordingId) {
        DeadLetter d = new DeadLetter();
        d.key = recordingId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        d.value = new byte[0];
        d.recordingId = recordingId;
        return d;
    }

    /** A dead letter for a chunk that was parsed but cannot be used. */
    public static DeadLetter of(EncodedChunk chunk, String stage, String code, String message) {
        DeadLetter d = new DeadLetter();
        d.key =
                chunk.recordingId == null
                        ? null
                        : chunk.recordingId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        d.value = chunk.data;
        d.headerKeys = chunk.headerKeys;
        d.headerValues = chunk.headerValues;
        d.recordingId = chunk.recordingId;
        d.code = code;
        d.message = message;
        d.stage = stage;
        d.topic = chunk.topic;
        d.partition = chunk.partition;
        d.offset = chunk.offset;
        d.timestamp = chunk.timestamp;
        return d;
    }
}
