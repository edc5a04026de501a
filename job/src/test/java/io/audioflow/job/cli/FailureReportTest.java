package io.audioflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.operators.functions.StageOperatorException;
import java.io.IOException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.JobException;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

class FailureReportTest {

    @Test
    void aFailedJobIsReportedByItsRootCauseAndWhereItWasThrown() {
        // The chain Flink 2.2 and the Kafka sink gave for the 19 MiB dead letter.
        var root =
                new RecordTooLargeException(
                        "The message is 19923495 bytes when serialized which is larger than"
                                + " 1048576, which is the value of the max.request.size"
                                + " configuration.");
        var failure =
                new JobExecutionException(
                        new JobID(),
                        "Job execution failed.",
                        new JobException(
                                "Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy",
                                new IOException(
                                        "One or more Kafka Producer send requests have encountered"
                                                + " exception",
                                        new FlinkRuntimeException(
                                                "Failed to send data to Kafka audio.dlq", root))));
        FailureReport report = FailureReport.of(failure);

        assertThat(report.lines().get(0)).isEqualTo("error: Job execution failed.");
        assertThat(report.lines().get(1))
                .isEqualTo(
                        "root cause: org.apache.kafka.common.errors.RecordTooLargeException: "
                                + root.getMessage());
        // Kafka's API exceptions carry no stack trace: nothing to say where.
        assertThat(report.toString()).doesNotContain("thrown at");
        assertThat(report.toString())
                .contains("via JobException: Recovery is suppressed")
                .contains("via FlinkRuntimeException: Failed to send data to Kafka audio.dlq");
    }

    @Test
    void aFailureInAStageOperatorNamesTheOperatorAndTheRecord() {
        String where =
                "stage `decode` [decode@1.0.0] on recording `rec`, chunk 3"
                        + " (audio.chunks partition 1 offset 42)";
        var root = new IllegalStateException("unreadable pipeline version 7");
        var failure =
                new JobExecutionException(
                        new JobID(),
                        "Job execution failed.",
                        new JobException(
                                "Recovery is suppressed by ExponentialDelayRestartBackoffTimeStrategy",
                                new StageOperatorException(where, root)));
        assertThat(FailureReport.of(failure).lines())
                .startsWith(
                        "error: Job execution failed.",
                        "where: " + where,
                        "root cause: java.lang.IllegalStateException: unreadable pipeline version 7");
    }

    @Test
    void theRootCausesFirstFrameSaysWhereItWasThrown() {
        var cause = new IllegalArgumentException("bad");
        var report = FailureReport.of(new RuntimeException("wrapper", cause));
        assertThat(report.lines())
                .containsExactly(
                        "error: wrapper",
                        "root cause: java.lang.IllegalArgumentException: bad",
                        "thrown at: " + cause.getStackTrace()[0]);
        assertThat(cause.getStackTrace()[0].getClassName())
                .isEqualTo(FailureReportTest.class.getName());
    }

    @Test
    void aFailureWithoutCauseIsOneLine() {
        assertThat(FailureReport.of(new IllegalStateException("no pipeline")).lines())
                .containsExactly("error: no pipeline");
        assertThat(FailureReport.of(new IllegalStateException()).lines())
                .containsExactly("error: java.lang.IllegalStateException");
    }

    @Test
    void aCauseCycleEnds() {
        var a = new RuntimeException("a");
        var b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(FailureReport.of(b).lines()).hasSizeLessThan(6);
    }
}
