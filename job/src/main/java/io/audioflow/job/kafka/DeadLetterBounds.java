package io.audioflow.job.kafka;

import java.io.Serializable;

/**
 * How much of a failed message a dead letter carries. A dead letter is written by a Kafka producer
 * whose request limit ({@code max.request.size}) and the broker's {@code message.max.bytes} both
 * default to about 1 MiB, while the input may hold messages as large as its broker allows: a dead
 * letter that copied its message whole could not be written, failed the sink and so the job, and
 * was read again after every restart. Bounded, every dead letter fits a default broker; what is cut
 * is said in headers (the payload's size and SHA-256, the number of headers left out), and the
 * original stays findable on the input topic by its {@code orig.*} coordinates.
 *
 * @param maxPayloadBytes the longest prefix of the value kept
 * @param maxHeaderBytes the original headers kept, in order, while their keys and values fit
 * @param maxKeyBytes the longest prefix of the key kept
 * @param maxTextChars the longest error message kept
 */
public record DeadLetterBounds(
        int maxPayloadBytes, int maxHeaderBytes, int maxKeyBytes, int maxTextChars)
        implements Serializable {

    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

    /** Room for the error headers the sink adds and Kafka's record framing. */
    private static final int OVERHEAD_BYTES = 64 * 1024;

    private static final int DEFAULT_PRODUCER_REQUEST_BYTES = 1024 * 1024;

    public DeadLetterBounds {
        if (maxPayloadBytes < 0 || maxHeaderBytes < 0 || maxKeyBytes < 0 || maxTextChars < 0)
            throw new IllegalArgumentException("dead-letter bounds must not be negative");
    }

    public static DeadLetterBounds defaults() {
        return new DeadLetterBounds(DEFAULT_MAX_PAYLOAD_BYTES, 64 * 1024, 1024, 4096);
    }

    /**
     * The DLQ producer's {@code max.request.size}: Kafka's default unless the bounds need more (a
     * broker must then accept as much on the DLQ topic).
     */
    public int producerMaxRequestBytes() {
        long needed =
                (long) maxPayloadBytes
                        + maxHeaderBytes
                        + maxKeyBytes
                        + 4L * maxTextChars
                        + OVERHEAD_BYTES;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(DEFAULT_PRODUCER_REQUEST_BYTES, needed));
    }
}
