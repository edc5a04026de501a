package io.audioflow.job.compile;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;

/**
 * Flink settings that every graph the compiler builds relies on: the Kafka job and the file job.
 */
public final class GraphSettings {

    /**
     * How long a record may wait in a network buffer before it is sent, on every edge but the
     * chunks' shuffle ({@link #CHUNK_BUFFER_TIMEOUT}). What crosses them is, from the stages, a few
     * results and dead letters per recording (audio stays in the chain): buffers seldom fill, and
     * at Flink's default of 100 ms the wait was most of a result's latency. Not much shorter
     * either: each task's output flusher wakes this often whether or not anything waits, so a few
     * milliseconds cost CPU even when the job is idle (docs/performance.md). Exactly-once results
     * become readable only with the checkpoint that commits them, seconds later.
     */
    public static final Duration BUFFER_TIMEOUT = Duration.ofMillis(20);

    /**
     * The buffer timeout of the edge that shuffles chunks from the Kafka source to their
     * recordings' subtasks: none, each chunk is sent as soon as it is written. A chunk of a second
     * fills about one 32 KiB network buffer by itself (more in stereo or at 44.1 kHz), so flushing
     * after each costs little, while a timeout would hold a live recording's last chunk for it, and
     * each timeout costs a thread that wakes whether or not anything waits.
     */
    public static final Duration CHUNK_BUFFER_TIMEOUT = Duration.ZERO;

    private GraphSettings() {}

    public static Configuration applyTo(Configuration conf) {
        // A POJO that would silently fall back to Kryo is a bug in our types: fail instead.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Several chained stages read each decoded chunk. Without object reuse Flink deep-copies
        // the chunk for every one of them: for an hour of 16 kHz audio through the default
        // pipeline, well over a gigabyte of float arrays copied and collected. Sharing is safe
        // here: the stage SPI forbids modifying an AudioBlock's samples or keeping them after
        // the call, our functions emit new records instead of changing their inputs, and
        // records read from the network are new objects.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, BUFFER_TIMEOUT);
        return conf;
    }
}
