package io.audioflow.job.profile;

import java.util.List;

/**
 * A profiling run: where the time went, stage by stage, and what each file measured.
 *
 * @param totalNanos wall time of the whole run; {@code T_total = Σ T_stage + overhead}
 * @param audioSeconds seconds of decoded audio
 * @param results one JSON result per file, as {@code analyze} prints it
 */
public record Profile(
        String pipeline,
        List<StageCost> stages,
        long totalNanos,
        double audioSeconds,
        List<String> results) {

    public long stageNanos() {
        return stages.stream().mapToLong(StageCost::nanos).sum();
    }

    /** Reading files, handing blocks from stage to stage, assembling results. */
    public long overheadNanos() {
        return totalNanos - stageNanos();
    }

    public double realTimeFactor() {
        return totalNanos == 0 ? 0 : audioSeconds / (totalNanos / 1e9);
    }

    /** The pipeline's error rate from the stages': E = 1 − Π(1 − E_stage). */
    public double errorRate() {
        double ok = 1;
        for (StageCost s : stages) ok *= 1 - s.errorRate();
        return 1 - ok;
    }
}
