package io.audioflow.job.compile.rpc;

import java.io.Serializable;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import org.apache.flink.runtime.rpc.FencedRpcEndpoint;
import org.apache.flink.runtime.rpc.FencedRpcGateway;
import org.apache.flink.runtime.rpc.RpcEndpoint;
import org.apache.flink.runtime.rpc.RpcGateway;
import org.apache.flink.runtime.rpc.RpcServer;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcUtils;
import org.apache.flink.runtime.rpc.exceptions.HandshakeException;
import org.apache.flink.runtime.rpc.exceptions.RpcConnectionException;
import org.apache.flink.runtime.rpc.exceptions.RpcRuntimeException;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;
import org.apache.flink.util.concurrent.ScheduledExecutor;
import org.apache.flink.util.concurrent.ScheduledExecutorServiceAdapter;

/**
 * The endpoints of one component (Flink's cluster, or its metric query service) in this process.
 * Their mailboxes run on a pool that grows with demand, since an endpoint may block on another's
 * answer; delays and ask timeouts run on one timer thread. Endpoints are registered by address in
 * the system's table, so any service of the system can connect to them.
 */
final class InProcessRpcService implements RpcService {

    static final String SCHEME = "inprocess://";

    private final String name;
    private final Duration askTimeout;
    private final Map<String, EndpointMailbox> endpoints;
    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor timer;
    private final ScheduledExecutor scheduledExecutor;
    private final CompletableFuture<Void> terminationFuture = new CompletableFuture<>();
    private final Object lock = new Object();
    private boolean stopped; // guarded by lock

    InProcessRpcService(String name, Duration askTimeout, Map<String, EndpointMailbox> endpoints) {
        this.name = name;
        this.askTimeout = askTimeout;
        this.endpoints = endpoints;
        this.pool =
                new ThreadPoolExecutor(
                        0,
                        Integer.MAX_VALUE,
                        60,
                        TimeUnit.SECONDS,
                        new SynchronousQueue<>(),
                        withFlinkClassLoader("audioflow-rpc-" + name));
        this.timer =
                new ScheduledThreadPoolExecutor(
                        1, withFlinkClassLoader("audioflow-rpc-" + name + "-timer"));
        timer.setRemoveOnCancelPolicy(true); // a cancelled ask timeout leaves nothing behind
        this.scheduledExecutor = new ScheduledExecutorServiceAdapter(timer);
    }

    /**
     * Threads that run Flink's code with Flink's class loader as context loader, as Pekko's
     * dispatcher does. A new thread would inherit whichever loader its creator had, and the pool
     * creates threads when some caller posts: a task thread, with the job's user-code loader.
     */
    private static ThreadFactory withFlinkClassLoader(String name) {
        ThreadFactory threads = new ExecutorThreadFactory(name);
        ClassLoader flink = RpcEndpoint.class.getClassLoader();
        return task -> {
            Thread thread = threads.newThread(task);
            thread.setContextClassLoader(flink);
            return thread;
        };
    }

    // Pekko's local actor systems have no host and no port either.
    @Override
    public String getAddress() {
        return "";
    }

    @Override
    public int getPort() {
        return -1;
    }

    @Override
    public <C extends RpcGateway> C getSelfGateway(Class<C> selfGatewayType, RpcServer rpcServer) {
        if (!selfGatewayType.isInstance(rpcServer)) {
            throw new ClassCastException(
                    "RpcEndpoint does not implement the RpcGateway interface of type "
                            + selfGatewayType
                            + '.');
        }
        return selfGatewayType.cast(rpcServer);
    }

    @Override
    public <C extends RpcGateway> CompletableFuture<C> connect(String address, Class<C> clazz) {
        return connectTo(address, null, clazz);
    }

    @Override
    public <F extends Serializable, C extends FencedRpcGateway<F>> CompletableFuture<C> connect(
            String address, F fencingToken, Class<C> clazz) {
        return connectTo(address, () -> fencingToken, clazz);
    }

    private <C extends RpcGateway> CompletableFuture<C> connectTo(
            String address, @Nullable Supplier<Serializable> fencingToken, Class<C> clazz) {
        synchronized (lock) {
            if (stopped) throw new IllegalStateException("RpcService is stopped");
        }
        EndpointMailbox target = endpoints.get(address);
        if (target == null) {
            return CompletableFuture.failedFuture(
                    new RpcConnectionException(
                            "Could not connect to rpc endpoint under address " + address + '.'));
        }
        if (!clazz.isAssignableFrom(target.endpoint().getClass())) {
            return CompletableFuture.failedFuture(
                    new HandshakeException(
                            "The rpc endpoint does not support the gateway "
                                    + clazz.getSimpleName()
                                    + '.'));
        }
        GatewayHandler handler = new GatewayHandler(target, fencingToken, askTimeout, null);
        // Completed on the pool as Pekko's handshake reply is: a caller's continuation must not
        // run inside its own call to connect.
        return CompletableFuture.supplyAsync(() -> proxy(handler, Set.of(clazz), clazz), pool);
    }

    @Override
    public <C extends RpcEndpoint & RpcGateway> RpcServer startServer(
            C rpcEndpoint, Map<String, String> loggingContext) {
        String address = SCHEME + name + '/' + rpcEndpoint.getEndpointId();
        EndpointMailbox mailbox = new EndpointMailbox(rpcEndpoint, address, loggingContext, this);
        synchronized (lock) {
            if (stopped) throw new IllegalStateException("RpcService is stopped");
            if (endpoints.putIfAbsent(address, mailbox) != null) {
                throw new RpcRuntimeException(
                        "Could not start the RPC endpoint "
                                + rpcEndpoint.getEndpointId()
                                + ": its name is taken in "
                                + name
                                + '.');
            }
        }
        Set<Class<?>> gateways =
                new HashSet<>(RpcUtils.extractImplementedRpcGateways(rpcEndpoint.getClass()));
        gateways.add(RpcServer.class);
        Supplier<Serializable> token =
                rpcEndpoint instanceof FencedRpcEndpoint<?> fenced ? fenced::getFencingToken : null;
        GatewayHandler handler =
                new GatewayHandler(mailbox, token, askTimeout, mailbox.terminationFuture());
        return proxy(handler, gateways, RpcServer.class);
    }

    private static <C> C proxy(GatewayHandler handler, Set<Class<?>> interfaces, Class<C> type) {
        return type.cast(
                Proxy.newProxyInstance(
                        InProcessRpcService.class.getClassLoader(),
                        interfaces.toArray(new Class<?>[0]),
                        handler));
    }

    @Override
    public void stopServer(RpcServer server) {
        EndpointMailbox mailbox = endpoints.get(server.getAddress());
        if (mailbox != null && mailbox.service() == this) mailbox.terminate();
    }

    void unregister(EndpointMailbox mailbox) {
        endpoints.remove(mailbox.address(), mailbox);
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        List<CompletableFuture<Void>> terminated = new ArrayList<>();
        synchronized (lock) {
            if (stopped) return terminationFuture;
            stopped = true;
            for (EndpointMailbox mailbox : endpoints.values()) {
                if (mailbox.service() == this) {
                    mailbox.terminate();
                    terminated.add(mailbox.terminationFuture());
                }
            }
        }
        // An endpoint that failed to stop still stops being served: the service closes either way.
        CompletableFuture.allOf(
                        terminated.stream()
                                .map(f -> f.handle((v, t) -> null))
                                .toArray(CompletableFuture[]::new))
                .whenComplete(
                        (v, t) -> {
                            timer.shutdownNow();
                            pool.shutdown();
                            terminationFuture.complete(null);
                        });
        return terminationFuture;
    }

    @Override
    public ScheduledExecutor getScheduledExecutor() {
        return scheduledExecutor;
    }

    // --- for the mailboxes and gateways ---

    /** Runs on the pool; false once the service has shut it down. */
    boolean execute(Runnable task) {
        try {
            pool.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    void schedule(Runnable task, long delayMillis) {
        try {
            timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shut down: nothing runs any more
        }
    }

    /** Fails {@code reply} with a TimeoutException unless it completes within {@code timeout}. */
    void failAfter(CompletableFuture<?> reply, Duration timeout, Supplier<String> what) {
        long millis = saturatedMillis(timeout);
        if (millis >= TimeUnit.DAYS.toMillis(365) || reply.isDone()) return; // "infinite"
        try {
            ScheduledFuture<?> task =
                    timer.schedule(
                            () ->
                                    reply.completeExceptionally(
                                            new TimeoutException(
                                                    what.get() + " timed out after " + timeout)),
                            millis,
                            TimeUnit.MILLISECONDS);
            reply.whenComplete((v, t) -> task.cancel(false));
        } catch (RejectedExecutionException e) {
            // shut down: the reply still completes or fails with its endpoint
        }
    }

    static long saturatedMillis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
