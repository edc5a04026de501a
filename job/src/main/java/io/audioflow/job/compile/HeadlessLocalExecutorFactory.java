package io.audioflow.job.compile;

import io.audioflow.job.compile.rpc.InProcessRpcSystem;
import org.apache.flink.client.deployment.executors.LocalExecutor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.runtime.entrypoint.component.DispatcherResourceManagerComponentFactory;
import org.apache.flink.runtime.entrypoint.component.HeadlessDispatcherResourceManagerComponentFactory;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.util.Reference;

/**
 * Flink's local executor (a MiniCluster per job, torn down when the job ends) on a cluster without
 * REST endpoint or web UI, whose components talk through {@link InProcessRpcSystem} instead of
 * Pekko; selected with {@code execution.target: audioflow-headless-local}. Registered as a service
 * so that {@code env.execute()} finds it like Flink's own executors.
 */
public final class HeadlessLocalExecutorFactory implements PipelineExecutorFactory {

    public static final String NAME = "audioflow-headless-local";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean isCompatibleWith(Configuration configuration) {
        return NAME.equalsIgnoreCase(configuration.get(DeploymentOptions.TARGET));
    }

    @Override
    public PipelineExecutor getExecutor(Configuration configuration) {
        return LocalExecutor.createWithFactory(configuration, HeadlessMiniCluster::new);
    }

    static final class HeadlessMiniCluster extends MiniCluster {
        HeadlessMiniCluster(MiniClusterConfiguration configuration) {
            super(configuration, () -> Reference.owned(new InProcessRpcSystem()));
        }

        @Override
        protected DispatcherResourceManagerComponentFactory
                createDispatcherResourceManagerComponentFactory() {
            return new HeadlessDispatcherResourceManagerComponentFactory();
        }
    }
}
