package io.audioflow.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayKeyTest {

    @Test
    void anOriginalIsReplayedAsAttemptOneAndAReplayAsTheNext() {
        assertThat(ReplayKey.after("call-17.wav").key()).isEqualTo("call-17.wav~replay-1");
        assertThat(ReplayKey.after("call-17.wav~replay-1"))
                .isEqualTo(new ReplayKey("call-17.wav", 2));
        assertThat(ReplayKey.after("call-17.wav~replay-9").key())
                .isEqualTo("call-17.wav~replay-10");
    }

    @Test
    void anIdThatOnlyLooksLikeAReplayIsAnOriginal() {
        assertThat(ReplayKey.after("odd~replay-x")).isEqualTo(new ReplayKey("odd~replay-x", 1));
    }
}
