package io.audioflow.operators.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one analyzer saw in one chunk of a recording still arriving, for the optional per-chunk
 * monitoring topic: its {@code progress()} metrics, keyed {@code <stage>.<metric>}, and where in
 * the recording the chunk lies.
 */
public class ChunkProgress {
    public String recordingId;
    public String stage;
    public double startS;
    public double endS;
    public boolean last;
    public Map<String, Double> metrics = new LinkedHashMap<>();

    public ChunkProgress() {}
}
