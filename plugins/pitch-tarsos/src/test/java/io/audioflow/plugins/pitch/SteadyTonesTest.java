package io.audioflow.plugins.pitch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SteadyTonesTest {

    @Test
    void aRunShorterThanATonesLengthIsSpeech() {
        SteadyTones tones = new SteadyTones(5);
        for (int i = 0; i < 4; i++) tones.pitched(440, 0.001);
        tones.unpitched();
        for (int i = 0; i < 3; i++) tones.pitched(120, 0.2);
        assertThat(tones.toneFrames()).isZero();
        assertThat(tones.pitchedFrames()).isEqualTo(7);
        assertThat(tones.median()).isBetween(435.0, 445.0);
    }

    @Test
    void aRunThatDriftsMoreThanOnePercentIsNoTone() {
        SteadyTones tones = new SteadyTones(5);
        for (int i = 0; i < 20; i++) tones.pitched(200 + 3 * i, 0.001);
        assertThat(tones.toneFrames()).isZero();
    }

    @Test
    void aSessionSavedBeforeTonesWereTrackedRestoresAsSpeech() throws IOException {
        PitchHistogram saved = new PitchHistogram();
        for (int i = 0; i < 9; i++) saved.add(150);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        saved.writeTo(new DataOutputStream(bytes));

        SteadyTones restored = new SteadyTones(5);
        restored.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(restored.pitchedFrames()).isEqualTo(9);
        assertThat(restored.median()).isBetween(149.0, 151.0);
    }

    @Test
    void aRunSavedMidwayIsResumedAfterRestore() throws IOException {
        SteadyTones before = new SteadyTones(5);
        for (int i = 0; i < 3; i++) before.pitched(500, 0.001);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        before.writeTo(new DataOutputStream(bytes));

        SteadyTones after = new SteadyTones(5);
        after.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        for (int i = 0; i < 3; i++) after.pitched(501, 0.001);
        assertThat(after.toneFrames()).isEqualTo(6);
    }
}
