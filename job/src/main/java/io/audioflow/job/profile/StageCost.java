package io.audioflow.job.profile;

/**
 * What one stage cost over a profiling run.
 *
 * @param nanos time spent inside the stage's plugin calls
 * @param allocatedBytes heap the stage's plugin calls allocated
 * @param stateBytes the largest per-recording state the stage would checkpoint (serialized), seen
 *     at the end of a file: the memory one open recording holds in a streaming job
 * @param attempted files that reached the stage (not failed upstream)
 * @param failed files the stage failed on
 */
public record StageCost(
        String stage,
        String processor,
        long nanos,
        long allocatedBytes,
        long stateBytes,
        int attempted,
        int failed) {

    /** This stage's error rate: failed over attempted, 0 when nothing reached it. */
    public double errorRate() {
        return attempted == 0 ? 0 : failed / (double) attempted;
    }

    /** Seconds of audio per second of this stage's own work. */
    public double realTimeFactor(double audioSeconds) {
        return nanos == 0 ? Double.POSITIVE_INFINITY : audioSeconds / (nanos / 1e9);
    }
}
