package io.audioflow.job.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.IntCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;

class HeadlessLocalExecutorFactoryTest {

    @Test
    void theTargetNameSelectsTheHeadlessExecutor() throws Exception {
        Configuration conf = new Configuration();
        conf.set(DeploymentOptions.TARGET, HeadlessLocalExecutorFactory.NAME);

        assertThat(new DefaultExecutorServiceLoader().getExecutorFactory(conf))
                .isInstanceOf(HeadlessLocalExecutorFactory.class);
    }

    @Test
    void aJobRunsToTheEndWithoutRestEndpoint() throws Exception {
        StreamExecutionEnvironment env = LocalFileJob.localEnvironment(2);

        try (CloseableIterator<Integer> doubled =
                env.fromData(List.of(1, 2, 3), Types.INT)
                        .map(x -> x * 2)
                        .returns(Types.INT)
                        .executeAndCollect()) {
            List<Integer> values = new ArrayList<>();
            doubled.forEachRemaining(values::add);
            assertThat(values).containsExactlyInAnyOrder(2, 4, 6);
        }
    }

    // The cluster's components talk through the in-process RPC system; these two jobs take the
    // paths that a one-shot analyze does not: delayed restarts, and checkpoints (triggered by the
    // job master, acknowledged by the tasks, then confirmed to them).

    @Test
    void aFailingJobIsRestartedThenFailsWithItsCause() {
        StreamExecutionEnvironment env = LocalFileJob.localEnvironment(1);
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        restarts.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(20));
        env.configure(restarts);
        env.fromData(List.of(1, 2, 3), Types.INT)
                .map(
                        (Integer x) -> {
                            if (x > 0) throw new IllegalStateException("failing on purpose");
                            return x;
                        })
                .returns(Types.INT)
                .sinkTo(new DiscardingSink<>());

        assertThatThrownBy(env::execute)
                .hasRootCauseMessage("failing on purpose")
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .as("the restart strategy ran out")
                                        .contains("maxNumberRestartAttempts=2"));
    }

    @Test
    void checkpointsCompleteOnIt() throws Exception {
        StreamExecutionEnvironment env = LocalFileJob.localEnvironment(1);
        env.enableCheckpointing(50);
        env.fromSequence(1, 1_500)
                .map(new CountCompletedCheckpoints())
                .sinkTo(new DiscardingSink<>());

        JobExecutionResult result = env.execute();

        assertThat(result.<Integer>getAccumulatorResult(CountCompletedCheckpoints.NAME))
                .isPositive();
    }

    /** Slow enough (1 ms a record) for checkpoints to happen while it runs. */
    static final class CountCompletedCheckpoints extends RichMapFunction<Long, Long>
            implements CheckpointListener {
        static final String NAME = "completed-checkpoints";
        private final IntCounter completed = new IntCounter();

        @Override
        public void open(OpenContext context) {
            getRuntimeContext().addAccumulator(NAME, completed);
        }

        @Override
        public Long map(Long value) throws InterruptedException {
            Thread.sleep(1);
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            completed.add(1);
        }
    }

    @Test
    void itsClusterServesNoRestEndpointWhereFlinksOwnServesOne() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        MiniClusterConfiguration config =
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(conf)
                        .setNumTaskManagers(1)
                        .setNumSlotsPerTaskManager(1)
                        .build();
        try (MiniCluster flinks = new MiniCluster(config)) {
            flinks.start();
            assertThat(flinks.getRestAddress().get(30, TimeUnit.SECONDS)).isNotNull();
        }
        try (MiniCluster headless = new HeadlessLocalExecutorFactory.HeadlessMiniCluster(config)) {
            headless.start();
            assertThatThrownBy(() -> headless.getRestAddress().get(3, TimeUnit.SECONDS))
                    .as("no REST endpoint ever takes leadership")
                    .isInstanceOf(TimeoutException.class);
        }
    }
}
