package io.audioflow.pipeline.runtime;

import java.util.function.Supplier;

/**
 * Measures a stage's work: the runner hands every attempt of a step to {@link #measure}, and
 * reports each step that succeeded with the audio it covered. What is measured is the meter's
 * choice (the job's operator metrics time steps; a profile also counts allocations).
 */
public interface StepMeter {

    StepMeter NONE =
            new StepMeter() {
                @Override
                public <T> T measure(Supplier<T> step) {
                    return step.get();
                }

                @Override
                public void stepDone(double audioSeconds) {}
            };

    /** Runs one attempt of a step and returns what it returned. */
    <T> T measure(Supplier<T> step);

    /** The last step measured succeeded and covered {@code audioSeconds} of audio. */
    void stepDone(double audioSeconds);
}
