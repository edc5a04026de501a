package io.audioflow.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.job.chaos.ChaosRun;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * scripts/chaos, CI-sized: a few hundred recordings through the job on deploy/local while one
 * TaskManager is killed and started again and the broker is killed and restarted; nothing is lost
 * or repeated, every poison message has its dead letter.
 */
class ChaosE2EITCase {

    @Test
    void aTaskManagerLossAndABrokerRestartLoseAndRepeatNothing() throws Exception {
        ChaosRun.Summary s =
                new ChaosRun(
                                new ChaosRun.Plan(
                                        300,
                                        1,
                                        1,
                                        Duration.ofSeconds(10),
                                        Path.of("target/e2e-chaos-run").toAbsolutePath(),
                                        7,
                                        Duration.ofMinutes(4),
                                        0))
                        .run();
        System.out.println(s.line());
        assertThat(s.lossless()).as("nothing lost or repeated: " + s.line()).isTrue();
        assertThat(s.jobState()).as(s.line()).isEqualTo("RUNNING");
        assertThat(s.faults()).isEqualTo(2);
        assertThat(s.restarts()).as("the faults hit the job").isPositive();
    }
}
