package io.audioflow.job.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
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
