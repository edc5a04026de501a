package io.audioflow.job.compile.rpc;

import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import org.apache.flink.runtime.rpc.FencedRpcGateway;
import org.apache.flink.runtime.rpc.MainThreadExecutable;
import org.apache.flink.runtime.rpc.RpcGateway;
import org.apache.flink.runtime.rpc.RpcGatewayUtils;
import org.apache.flink.runtime.rpc.RpcServer;
import org.apache.flink.runtime.rpc.StartStoppable;
import org.apache.flink.runtime.rpc.exceptions.RpcException;
import org.apache.flink.util.ExceptionUtils;

/**
 * Behind every gateway proxy: an endpoint's own server (with its termination future) or a
 * connection to it, fenced (a token supplier) or not. Gateway methods become messages in the
 * endpoint's mailbox: void ones are told, the others asked, and a non-future result is waited for
 * up to the call's timeout, as Pekko's invocation handler does.
 */
final class GatewayHandler implements InvocationHandler, RpcServer {

    private final EndpointMailbox target;
    @Nullable private final Supplier<Serializable> fencingToken; // null: not fenced
    private final Duration timeout;
    @Nullable private final CompletableFuture<Void> terminationFuture; // null: a connection

    GatewayHandler(
            EndpointMailbox target,
            @Nullable Supplier<Serializable> fencingToken,
            Duration timeout,
            @Nullable CompletableFuture<Void> terminationFuture) {
        this.target = target;
        this.fencingToken = fencingToken;
        this.timeout = timeout;
        this.terminationFuture = terminationFuture;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Class<?> declaring = method.getDeclaringClass();
        if (declaring == Object.class) return objectMethod(proxy, method, args);
        if (declaring == RpcGateway.class
                || declaring == StartStoppable.class
                || declaring == MainThreadExecutable.class
                || declaring == RpcServer.class) {
            try {
                return method.invoke(this, args);
            } catch (InvocationTargetException e) {
                throw e.getTargetException();
            }
        }
        if (declaring == FencedRpcGateway.class) {
            if (fencingToken == null) {
                throw new UnsupportedOperationException(
                        "This gateway was connected without a fencing token; connect with"
                                + " RpcService#connect(address, fencingToken, class) to call "
                                + method.getName());
            }
            return fencingToken.get();
        }
        return invokeRpc(method, args);
    }

    private Object objectMethod(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> "InProcessGateway(" + target.address() + ')';
        };
    }

    private Object invokeRpc(Method method, Object[] args) throws Exception {
        Duration callTimeout =
                RpcGatewayUtils.extractRpcTimeout(method.getParameterAnnotations(), args, timeout);
        Class<?> returnType = method.getReturnType();
        if (returnType == void.class) {
            target.tell(token(), method, args);
            return null;
        }
        CompletableFuture<Object> reply = target.ask(token(), method, args, callTimeout);
        if (returnType == CompletableFuture.class) return reply;
        try {
            return reply.get(
                    InProcessRpcService.saturatedMillis(callTimeout), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new RpcException(
                    "Failure while obtaining synchronous RPC result.",
                    ExceptionUtils.stripExecutionException(e));
        }
    }

    private Object token() {
        return fencingToken == null ? EndpointMailbox.UNFENCED : fencingToken.get();
    }

    @Override
    public void runAsync(Runnable runnable) {
        scheduleRunAsync(runnable, 0);
    }

    @Override
    public void scheduleRunAsync(Runnable runnable, long delayMillis) {
        if (delayMillis < 0) throw new IllegalArgumentException("delay must be zero or greater");
        target.runAsync(token(), runnable, delayMillis);
    }

    @Override
    public <V> CompletableFuture<V> callAsync(Callable<V> callable, Duration callTimeout) {
        return target.call(token(), callable, callTimeout);
    }

    @Override
    public void start() {
        target.start();
    }

    @Override
    public void stop() {
        target.stop();
    }

    @Override
    public String getAddress() {
        return target.address();
    }

    @Override
    public String getHostname() {
        return "localhost";
    }

    @Override
    public CompletableFuture<Void> getTerminationFuture() {
        return terminationFuture;
    }
}
