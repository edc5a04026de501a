package io.audioflow.job.compile.rpc;

import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.annotation.Nullable;
import org.apache.flink.runtime.rpc.FencedRpcEndpoint;
import org.apache.flink.runtime.rpc.MainThreadValidatorUtil;
import org.apache.flink.runtime.rpc.RpcEndpoint;
import org.apache.flink.runtime.rpc.exceptions.EndpointNotStartedException;
import org.apache.flink.runtime.rpc.exceptions.FencingTokenException;
import org.apache.flink.runtime.rpc.exceptions.RecipientUnreachableException;
import org.apache.flink.runtime.rpc.exceptions.RpcConnectionException;
import org.apache.flink.runtime.rpc.exceptions.RpcException;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.MdcUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint's main thread: a FIFO queue drained on the service's pool, one message at a time,
 * through the lifecycle of Pekko's RPC actor. Messages are refused before the endpoint starts and
 * after it terminates; termination runs the endpoint's stop hook on its main thread and completes
 * its termination future once the hook's future does.
 */
final class EndpointMailbox implements Runnable {

    /** The token of a message sent through a gateway without fencing. */
    static final Object UNFENCED = new Object();

    private static final Logger LOG = LoggerFactory.getLogger(EndpointMailbox.class);
    // Messages handled before the thread goes back to the pool, so that busy endpoints share it.
    private static final int BATCH = 32;

    private enum State {
        STOPPED,
        STARTED,
        TERMINATING,
        TERMINATED
    }

    private sealed interface Message permits Control, Terminated, Delivery {}

    private enum Control implements Message {
        START,
        STOP,
        TERMINATE
    }

    /** The stop hook's future completed: {@code failure} null if it succeeded. */
    private record Terminated(@Nullable Throwable failure) implements Message {}

    /**
     * Work for the main thread: a gateway call, a runAsync or a callAsync. {@code reply} is null
     * for what nobody waits for; {@code unwrap} answers a call that returns a future with that
     * future's value, as an RPC method's caller expects.
     */
    private record Delivery(
            Object token,
            Callable<?> work,
            @Nullable CompletableFuture<Object> reply,
            boolean unwrap,
            String what)
            implements Message {}

    private final RpcEndpoint endpoint;
    private final String address;
    private final Map<String, String> loggingContext; // MDC entries, e.g. the job id
    private final InProcessRpcService service;
    private final MainThreadValidatorUtil mainThread;
    private final CompletableFuture<Void> terminationFuture = new CompletableFuture<>();
    private final ConcurrentLinkedQueue<Message> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Map<Method, Method> implementations = new ConcurrentHashMap<>();
    private State state = State.STOPPED; // read and written on the main thread only

    EndpointMailbox(
            RpcEndpoint endpoint,
            String address,
            Map<String, String> loggingContext,
            InProcessRpcService service) {
        this.endpoint = endpoint;
        this.address = address;
        this.loggingContext = Map.copyOf(loggingContext);
        this.service = service;
        this.mainThread = new MainThreadValidatorUtil(endpoint);
    }

    RpcEndpoint endpoint() {
        return endpoint;
    }

    String address() {
        return address;
    }

    InProcessRpcService service() {
        return service;
    }

    CompletableFuture<Void> terminationFuture() {
        return terminationFuture;
    }

    // --- sending, from any thread ---

    void start() {
        post(Control.START);
    }

    void stop() {
        post(Control.STOP);
    }

    void terminate() {
        post(Control.TERMINATE);
    }

    void tell(Object token, Method method, Object[] args) {
        Method implementation;
        try {
            implementation = implementation(method);
        } catch (NoSuchMethodException e) {
            LOG.error("Could not find rpc method {} on {}.", method, address, e);
            return;
        }
        post(
                new Delivery(
                        token,
                        () -> implementation.invoke(endpoint, args),
                        null,
                        false,
                        describe(method)));
    }

    CompletableFuture<Object> ask(Object token, Method method, Object[] args, Duration timeout) {
        CompletableFuture<Object> reply = new CompletableFuture<>();
        Method implementation;
        try {
            implementation = implementation(method);
        } catch (NoSuchMethodException e) {
            reply.completeExceptionally(
                    new RpcConnectionException("Could not find rpc method for rpc invocation.", e));
            return reply;
        }
        String what = describe(method);
        service.failAfter(reply, timeout, () -> invocation(what));
        post(new Delivery(token, () -> implementation.invoke(endpoint, args), reply, true, what));
        return reply;
    }

    void runAsync(Object token, Runnable runnable, long delayMillis) {
        Delivery delivery =
                new Delivery(
                        token,
                        () -> {
                            runnable.run();
                            return null;
                        },
                        null,
                        false,
                        "runAsync");
        if (delayMillis == 0) {
            post(delivery);
        } else {
            service.schedule(() -> post(delivery), delayMillis);
        }
    }

    @SuppressWarnings("unchecked")
    <V> CompletableFuture<V> call(Object token, Callable<V> callable, Duration timeout) {
        CompletableFuture<Object> reply = new CompletableFuture<>();
        service.failAfter(reply, timeout, () -> invocation("callAsync"));
        post(new Delivery(token, callable, reply, false, "callAsync"));
        return (CompletableFuture<V>) reply;
    }

    private Method implementation(Method gatewayMethod) throws NoSuchMethodException {
        Method known = implementations.get(gatewayMethod);
        if (known != null) return known;
        Method found =
                endpoint.getClass()
                        .getMethod(gatewayMethod.getName(), gatewayMethod.getParameterTypes());
        found.setAccessible(true); // endpoints may be classes of another package's scope
        implementations.put(gatewayMethod, found);
        return found;
    }

    private String invocation(String what) {
        return "Invocation of [" + what + "] at recipient [" + address + "]";
    }

    private static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + '.' + method.getName();
    }

    private void post(Message message) {
        queue.add(message);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true) && !service.execute(this)) {
            // The service has shut its pool down: what is left can only be refused.
            scheduled.set(false);
            refuseAll();
        }
    }

    // --- the main thread ---

    @Override
    public void run() {
        // Most endpoints have no logging context, and setting an empty one still copies the MDC.
        try (MdcUtils.MdcCloseable mdc =
                loggingContext.isEmpty() ? null : MdcUtils.withContext(loggingContext)) {
            for (int i = 0; i < BATCH; i++) {
                Message message = queue.poll();
                if (message == null) break;
                handle(message);
            }
        } finally {
            scheduled.set(false);
            if (!queue.isEmpty()) schedule();
        }
    }

    private void handle(Message message) {
        if (message instanceof Control control) {
            switch (control) {
                case START -> start(state);
                case STOP -> state = state == State.STARTED ? State.STOPPED : state;
                case TERMINATE -> terminate(state);
            }
        } else if (message instanceof Terminated terminated) {
            finish(terminated.failure());
        } else {
            deliver((Delivery) message);
        }
    }

    private void start(State current) {
        if (current != State.STOPPED) return;
        state = State.STARTED;
        mainThread.enterMainThread();
        try {
            endpoint.internalCallOnStart();
        } catch (Throwable t) {
            finish(
                    new RpcException(
                            "Could not start RpcEndpoint " + endpoint.getEndpointId() + '.', t));
        } finally {
            mainThread.exitMainThread();
        }
    }

    private void terminate(State current) {
        if (current == State.STOPPED) {
            finish(null);
        } else if (current == State.STARTED) {
            state = State.TERMINATING;
            CompletableFuture<Void> stopped;
            mainThread.enterMainThread();
            try {
                stopped = endpoint.internalCallOnStop();
            } catch (Throwable t) {
                stopped =
                        CompletableFuture.failedFuture(
                                new RpcException(
                                        "Failure while stopping RpcEndpoint "
                                                + endpoint.getEndpointId()
                                                + '.',
                                        t));
            } finally {
                mainThread.exitMainThread();
            }
            stopped.whenComplete((ignored, failure) -> post(new Terminated(failure)));
        }
    }

    private void finish(@Nullable Throwable failure) {
        if (state == State.TERMINATED) return;
        state = State.TERMINATED;
        service.unregister(this);
        if (failure != null)
            LOG.info("The RpcEndpoint {} failed.", endpoint.getEndpointId(), failure);
        Runnable complete =
                failure == null
                        ? () -> terminationFuture.complete(null)
                        : () -> terminationFuture.completeExceptionally(failure);
        if (!service.execute(complete)) complete.run();
    }

    private void deliver(Delivery delivery) {
        Throwable refusal = refusal(delivery);
        if (refusal != null) {
            if (delivery.reply() != null) reply(delivery.reply(), null, refusal);
            return;
        }
        Object result;
        mainThread.enterMainThread();
        try {
            result = delivery.work().call();
        } catch (Throwable t) {
            Throwable cause = t instanceof InvocationTargetException e ? e.getTargetException() : t;
            if (delivery.reply() != null) {
                reply(delivery.reply(), null, cause);
            } else {
                LOG.error(
                        "Error while running {} in the main thread of {}.",
                        delivery.what(),
                        address,
                        cause);
                ExceptionUtils.rethrowIfFatalErrorOrOOM(cause);
            }
            return;
        } finally {
            mainThread.exitMainThread();
        }
        CompletableFuture<Object> reply = delivery.reply();
        if (reply == null) return;
        if (delivery.unwrap() && result instanceof CompletableFuture<?> future) {
            future.whenComplete((value, failure) -> reply(reply, value, failure));
        } else {
            reply(reply, result, null);
        }
    }

    @Nullable
    private Throwable refusal(Delivery delivery) {
        switch (state) {
            case TERMINATED:
                return new RecipientUnreachableException("unknown", address, delivery.what());
            case STOPPED:
                return new EndpointNotStartedException(
                        "Discard message "
                                + delivery.what()
                                + ", because the rpc endpoint "
                                + address
                                + " has not been started yet.");
            default:
                break;
        }
        if (!(endpoint instanceof FencedRpcEndpoint<?> fenced)) return null;
        if (delivery.token() == UNFENCED) {
            return new RpcException(
                    "Ignoring message "
                            + delivery.what()
                            + " to the fenced endpoint "
                            + address
                            + ": it was sent without a fencing token.");
        }
        Serializable expected = fenced.getFencingToken();
        if (expected == null) {
            return new FencingTokenException(
                    "Fencing token not set: Ignoring message "
                            + delivery.what()
                            + " sent to "
                            + address
                            + " because the fencing token is null.");
        }
        if (!expected.equals(delivery.token())) {
            return new FencingTokenException(
                    "Fencing token mismatch: Ignoring message "
                            + delivery.what()
                            + " because the fencing token "
                            + delivery.token()
                            + " did not match the expected fencing token "
                            + expected
                            + '.');
        }
        return null;
    }

    /**
     * Completes a caller's future on the pool, never on this main thread: the caller's own
     * continuations must not run inside another endpoint's message.
     */
    private void reply(
            CompletableFuture<Object> reply, @Nullable Object value, @Nullable Throwable failure) {
        Runnable complete =
                failure == null
                        ? () -> reply.complete(value)
                        : () ->
                                reply.completeExceptionally(
                                        ExceptionUtils.stripCompletionException(failure));
        if (!service.execute(complete)) complete.run();
    }

    private void refuseAll() {
        for (Message message; (message = queue.poll()) != null; ) {
            if (message instanceof Delivery delivery && delivery.reply() != null) {
                delivery.reply()
                        .completeExceptionally(
                                new RecipientUnreachableException(
                                        "unknown", address, delivery.what()));
            }
        }
    }
}
