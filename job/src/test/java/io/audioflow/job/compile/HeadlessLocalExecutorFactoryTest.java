package io.audioflow.job.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;
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
            List<Integer> values = new java.util.ArrayList<>();
            doubled.forEachRemaining(values::add);
            assertThat(values).containsExactlyInAnyOrder(2, 4, 6);
        }
    }
}
