package org.apache.flink.runtime.entrypoint.component;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.failure.FailureEnricher;
import org.apache.flink.runtime.blob.BlobServer;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.dispatcher.DispatcherGateway;
import org.apache.flink.runtime.dispatcher.DispatcherId;
import org.apache.flink.runtime.dispatcher.DispatcherOperationCaches;
import org.apache.flink.runtime.dispatcher.ExecutionGraphInfoStore;
import org.apache.flink.runtime.dispatcher.HistoryServerArchivist;
import org.apache.flink.runtime.dispatcher.PartialDispatcherServices;
import org.apache.flink.runtime.dispatcher.SessionDispatcherFactory;
import org.apache.flink.runtime.dispatcher.runner.DefaultDispatcherRunnerFactory;
import org.apache.flink.runtime.dispatcher.runner.DispatcherRunner;
import org.apache.flink.runtime.entrypoint.ClusterInformation;
import org.apache.flink.runtime.heartbeat.HeartbeatServices;
import org.apache.flink.runtime.highavailability.HighAvailabilityServices;
import org.apache.flink.runtime.jobmanager.HaServicesJobPersistenceComponentFactory;
import org.apache.flink.runtime.leaderretrieval.LeaderRetrievalService;
import org.apache.flink.runtime.metrics.MetricRegistry;
import org.apache.flink.runtime.metrics.groups.JobManagerMetricGroup;
import org.apache.flink.runtime.resourcemanager.ResourceManagerGateway;
import org.apache.flink.runtime.resourcemanager.ResourceManagerId;
import org.apache.flink.runtime.resourcemanager.ResourceManagerServiceImpl;
import org.apache.flink.runtime.resourcemanager.StandaloneResourceManagerFactory;
import org.apache.flink.runtime.rest.RestService;
import org.apache.flink.runtime.rpc.FatalErrorHandler;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcUtils;
import org.apache.flink.runtime.security.token.DelegationTokenManager;
import org.apache.flink.runtime.webmonitor.retriever.MetricQueryServiceRetriever;
import org.apache.flink.runtime.webmonitor.retriever.impl.RpcGatewayRetriever;
import org.apache.flink.util.concurrent.ExponentialBackoffRetryStrategy;

/**
 * The dispatcher and resource manager of a session cluster, as Flink's {@link
 * DefaultDispatcherResourceManagerComponentFactory#createSessionComponentFactory} builds them, but
 * without the REST endpoint and web UI: {@code analyze} submits its job in-process and never serves
 * HTTP. Leaving the endpoint out saves its Netty server and a hundred handlers (about 0.15
 * CPU-seconds per run) and opens no port on the user's machine.
 *
 * <p>It lives in Flink's package because {@link DispatcherResourceManagerComponent}'s constructor
 * is package-private; Flink offers no switch to start a MiniCluster without REST. A Flink upgrade
 * that changes these internals fails the build here, and {@code AnalyzeCommandITCase} runs it.
 */
public final class HeadlessDispatcherResourceManagerComponentFactory
        implements DispatcherResourceManagerComponentFactory {

    @Override
    public DispatcherResourceManagerComponent create(
            Configuration configuration,
            ResourceID resourceId,
            Executor ioExecutor,
            RpcService rpcService,
            HighAvailabilityServices haServices,
            BlobServer blobServer,
            HeartbeatServices heartbeatServices,
            DelegationTokenManager delegationTokenManager,
            MetricRegistry metricRegistry,
            ExecutionGraphInfoStore executionGraphInfoStore,
            MetricQueryServiceRetriever metricQueryServiceRetriever,
            Collection<FailureEnricher> failureEnrichers,
            FatalErrorHandler fatalErrorHandler)
            throws Exception {
        LeaderRetrievalService dispatcherLeader = haServices.getDispatcherLeaderRetriever();
        LeaderRetrievalService resourceManagerLeader =
                haServices.getResourceManagerLeaderRetriever();
        RpcGatewayRetriever<DispatcherId, DispatcherGateway> dispatcherGateway =
                new RpcGatewayRetriever<>(
                        rpcService, DispatcherGateway.class, DispatcherId::fromUuid, retries());
        RpcGatewayRetriever<ResourceManagerId, ResourceManagerGateway> resourceManagerGateway =
                new RpcGatewayRetriever<>(
                        rpcService,
                        ResourceManagerGateway.class,
                        ResourceManagerId::fromUuid,
                        retries());
        String hostname = RpcUtils.getHostname(rpcService);
        ResourceManagerServiceImpl resourceManager =
                ResourceManagerServiceImpl.create(
                        StandaloneResourceManagerFactory.getInstance(),
                        configuration,
                        resourceId,
                        rpcService,
                        haServices,
                        heartbeatServices,
                        delegationTokenManager,
                        fatalErrorHandler,
                        new ClusterInformation(hostname, blobServer.getPort()),
                        null, // the web interface URL: there is none
                        metricRegistry,
                        hostname,
                        ioExecutor);
        DispatcherOperationCaches operationCaches =
                new DispatcherOperationCaches(
                        configuration.get(RestOptions.ASYNC_OPERATION_STORE_DURATION));
        PartialDispatcherServices dispatcherServices =
                new PartialDispatcherServices(
                        configuration,
                        haServices,
                        resourceManagerGateway,
                        blobServer,
                        heartbeatServices,
                        () ->
                                JobManagerMetricGroup.createJobManagerMetricGroup(
                                        metricRegistry, hostname),
                        executionGraphInfoStore,
                        fatalErrorHandler,
                        // archives what the REST handlers would serve: nothing here
                        HistoryServerArchivist.createHistoryServerArchivist(
                                configuration, graph -> List.of(), ioExecutor),
                        metricRegistry.getMetricQueryServiceGatewayRpcAddress(),
                        ioExecutor,
                        operationCaches,
                        failureEnrichers);
        DispatcherRunner dispatcherRunner =
                DefaultDispatcherRunnerFactory.createSessionRunner(
                                SessionDispatcherFactory.INSTANCE)
                        .createDispatcherRunner(
                                haServices.getDispatcherLeaderElection(),
                                fatalErrorHandler,
                                new HaServicesJobPersistenceComponentFactory(haServices),
                                ioExecutor,
                                rpcService,
                                dispatcherServices);
        resourceManager.start();
        resourceManagerLeader.start(resourceManagerGateway);
        dispatcherLeader.start(dispatcherGateway);
        return new DispatcherResourceManagerComponent(
                dispatcherRunner,
                resourceManager,
                dispatcherLeader,
                resourceManagerLeader,
                new NoRestService(),
                fatalErrorHandler,
                operationCaches);
    }

    private static ExponentialBackoffRetryStrategy retries() {
        return new ExponentialBackoffRetryStrategy(
                12, Duration.ofMillis(10), Duration.ofMillis(50));
    }

    private static final class NoRestService implements RestService {
        @Override
        public int getRestPort() {
            return -1;
        }

        @Override
        public CompletableFuture<Void> closeAsync() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
