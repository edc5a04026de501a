package io.audioflow.job.compile.rpc;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.Nullable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RpcOptions;
import org.apache.flink.runtime.rpc.AddressResolution;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;

/**
 * Flink's RPC for a cluster that lives in one process and is never reached from outside: every
 * endpoint is a mailbox drained by a thread pool, and a gateway call is a method call queued on it.
 * Flink's Pekko RPC system does the same for local endpoints, behind an actor system that costs the
 * CLI about half a CPU-second to load, configure and start for every {@code analyze}; nothing of
 * Pekko's remoting is used by a local cluster.
 *
 * <p>Semantics kept from Pekko's actors: one message at a time per endpoint, in the order sent;
 * nothing before the endpoint has started; the endpoint's stop hook on its main thread; fencing
 * tokens checked on delivery; asks that time out after {@code pekko.ask.timeout} (or the call's
 * {@code @RpcTimeout}); replies completed off the callee's main thread. Not kept: serialization of
 * messages (Pekko skips it for local endpoints too) and remote services, which this system refuses.
 */
public final class InProcessRpcSystem implements RpcSystem {

    private final Map<String, EndpointMailbox> endpoints = new ConcurrentHashMap<>();
    private final Set<String> serviceNames = ConcurrentHashMap.newKeySet();

    @Override
    public RpcServiceBuilder localServiceBuilder(Configuration configuration) {
        return new Builder(configuration);
    }

    @Override
    public RpcServiceBuilder remoteServiceBuilder(
            Configuration configuration, @Nullable String externalAddress, String portRange) {
        throw new UnsupportedOperationException(
                "The in-process RPC system serves one process only; a cluster reached over the"
                        + " network needs Flink's Pekko RPC system.");
    }

    @Override
    public String getRpcUrl(
            String hostname,
            int port,
            String endpointName,
            AddressResolution addressResolution,
            Configuration config) {
        throw new UnsupportedOperationException(
                "In-process endpoints have no network address; connect with the address an"
                        + " endpoint reports.");
    }

    @Override
    public InetSocketAddress getInetSocketAddressFromRpcUrl(String url) {
        throw new UnsupportedOperationException(
                "In-process RPC address " + url + " has no socket address.");
    }

    /** Pekko's frame size, so that whatever Flink sizes by it stays as it is with Pekko. */
    @Override
    public long getMaximumMessageSizeInBytes(Configuration config) {
        return MemorySize.parseBytes(config.get(RpcOptions.FRAMESIZE));
    }

    /** A service name unique in this system, so that endpoint addresses are too. */
    private String uniqueName(String requested) {
        for (int i = 0; ; i++) {
            String name = i == 0 ? requested : requested + "-" + i;
            if (serviceNames.add(name)) return name;
        }
    }

    private final class Builder implements RpcServiceBuilder {
        private final Duration askTimeout;
        private String componentName = "flink";

        Builder(Configuration configuration) {
            this.askTimeout = configuration.get(RpcOptions.ASK_TIMEOUT_DURATION);
        }

        @Override
        public RpcServiceBuilder withComponentName(String name) {
            this.componentName = name;
            return this;
        }

        // Bind address, port and executor sizing concern Pekko's remoting and dispatcher; the
        // in-process service binds nothing and sizes its pool by demand.
        @Override
        public RpcServiceBuilder withBindAddress(String bindAddress) {
            return this;
        }

        @Override
        public RpcServiceBuilder withBindPort(int bindPort) {
            return this;
        }

        @Override
        public RpcServiceBuilder withExecutorConfiguration(
                FixedThreadPoolExecutorConfiguration executorConfiguration) {
            return this;
        }

        @Override
        public RpcServiceBuilder withExecutorConfiguration(
                ForkJoinExecutorConfiguration executorConfiguration) {
            return this;
        }

        @Override
        public RpcService createAndStart() {
            return new InProcessRpcService(uniqueName(componentName), askTimeout, endpoints);
        }
    }
}
