package io.audioflow.operators.model;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.FrameTrack;
import java.util.List;

/**
 * Decoded audio on its way between stages, keyed by recording. The final chunk of a recording has
 * {@code last} set; it may be empty. A chunk with an {@code errorCode} is a failure marker: the
 * stage that wrote it failed on this recording and no more audio will follow.
 */
public class AudioChunk {
    public String recordingId;
    public long startFrame;
    public int sampleRate;
    public int channels;
    public float[] samples;
    public boolean last;
    public String errorCode;
    public String errorStage;
    public String errorMessage;

    /** The configuration the recording started under; null for the submitted one. */
    public PipelineVersion config;

    /** Products of upstream stages for this audio ({@link AudioBlock#tracks()}); null for none. */
    public FrameTrack[] tracks;

    public AudioChunk() {}

    public static AudioChunk of(String recordingId, AudioBlock block, boolean last) {
        AudioChunk c = new AudioChunk();
        c.recordingId = recordingId;
        c.startFrame = block.startFrame();
        c.sampleRate = block.format().sampleRate();
        c.channels = block.format().channels();
        c.samples = block.samples();
        c.last = last;
        if (!block.tracks().isEmpty()) c.tracks = block.tracks().toArray(FrameTrack[]::new);
        return c;
    }

    /** An empty final chunk, to close a recording whose last block was already sent. */
    public static AudioChunk end(String recordingId, AudioFormat format, long startFrame) {
        return of(recordingId, new AudioBlock(format, startFrame, new float[0]), true);
    }

    public static AudioChunk failure(
            String recordingId, String code, String stage, String message) {
        AudioChunk c = new AudioChunk();
        c.recordingId = recordingId;
        c.samples = new float[0];
        c.last = true;
        c.errorCode = code;
        c.errorStage = stage;
        c.errorMessage = message;
        return c;
    }

    public boolean failed() {
        return errorCode != null;
    }

    public AudioFormat format() {
        return new AudioFormat(sampleRate, channels);
    }

    public AudioBlock block() {
        return new AudioBlock(
                format(), startFrame, samples, tracks == null ? List.of() : List.of(tracks));
    }

    /** The same audio with these products attached instead of its own. */
    public AudioChunk withTracks(List<FrameTrack> products) {
        AudioChunk c = new AudioChunk();
        c.recordingId = recordingId;
        c.startFrame = startFrame;
        c.sampleRate = sampleRate;
        c.channels = channels;
        c.samples = samples;
        c.last = last;
        c.config = config;
        c.tracks = products.isEmpty() ? null : products.toArray(FrameTrack[]::new);
        return c;
    }

    /** This chunk, of a recording running under {@code config}. */
    public AudioChunk under(PipelineVersion config) {
        this.config = config;
        return this;
    }
}
