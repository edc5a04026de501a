package io.audioflow.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.job.chaos.ChaosRun;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * JobManager failover on deploy/local with ZooKeeper HA ({@code up --ha}): the leading JobManager
 * is killed while recordings arrive; the standby wins the election, recovers the job from ZooKeeper
 * and its last checkpoint, and nothing is lost or repeated.
 */
class HighAvailabilityE2EITCase {

    @Test
    void theStandbyJobManagerTakesTheJobOverWithoutLossOrRepeats() throws Exception {
        ChaosRun.Summary s =
                new ChaosRun(
                                new ChaosRun.Plan(
                                        150,
                                        0,
                                        0,
                                        Duration.ZERO,
                                        Path.of("target/e2e-ha-run").toAbsolutePath(),
                                        11,
                                        Duration.ofMinutes(4),
                                        1))
                        .run();
        System.out.println(s.line());
        assertThat(s.lossless()).as("nothing lost or repeated: " + s.line()).isTrue();
        assertThat(s.jobState()).as(s.line()).isEqualTo("RUNNING");
        assertThat(s.recoveryMillis().get("jobmanager")).as(s.line()).hasSize(1);
        assertThat(s.recoveryMillis().get("jobmanager").get(0))
                .as("kill of the leader to the job running on the standby, in ms")
                .isLessThan(Duration.ofMinutes(2).toMillis());
    }
}
