package io.audioflow.job.compile.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.FencedRpcEndpoint;
import org.apache.flink.runtime.rpc.FencedRpcGateway;
import org.apache.flink.runtime.rpc.RpcEndpoint;
import org.apache.flink.runtime.rpc.RpcGateway;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcTimeout;
import org.apache.flink.runtime.rpc.exceptions.EndpointNotStartedException;
import org.apache.flink.runtime.rpc.exceptions.FencingTokenException;
import org.apache.flink.runtime.rpc.exceptions.HandshakeException;
import org.apache.flink.runtime.rpc.exceptions.RecipientUnreachableException;
import org.apache.flink.runtime.rpc.exceptions.RpcConnectionException;
import org.apache.flink.runtime.rpc.exceptions.RpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The RPC semantics Flink's components rely on, checked on real {@link RpcEndpoint}s. Surefire runs
 * with assertions on, so every {@code validateRunsInMainThread()} below is a real check.
 */
class InProcessRpcSystemTest {

    private static final long WAIT_S = 10;
    private static final String SERVICE = "rpc-under-test";

    interface Greeter extends RpcGateway {
        CompletableFuture<String> greet(String name);

        void note(String entry);

        CompletableFuture<List<String>> notes();

        CompletableFuture<String> greetLater(String name);

        CompletableFuture<String> greetSlowly(String name);

        CompletableFuture<Void> fail();

        CompletableFuture<Void> sleep(long millis, @RpcTimeout Duration timeout);

        String nameNow();

        CompletableFuture<String> loggingContext(String key);

        CompletableFuture<ClassLoader> contextClassLoaderSlowly();
    }

    interface Unrelated extends RpcGateway {
        CompletableFuture<String> other();
    }

    static final class GreeterEndpoint extends RpcEndpoint implements Greeter {
        final List<String> notes = new ArrayList<>();
        final CompletableFuture<Thread> stoppedOn = new CompletableFuture<>();
        Thread mainThread;

        GreeterEndpoint(RpcService service, String id) {
            super(service, id);
        }

        GreeterEndpoint(RpcService service, String id, Map<String, String> loggingContext) {
            super(service, id, loggingContext);
        }

        @Override
        public CompletableFuture<ClassLoader> contextClassLoaderSlowly() {
            sleep(200, Duration.ZERO);
            return CompletableFuture.completedFuture(
                    Thread.currentThread().getContextClassLoader());
        }

        @Override
        public CompletableFuture<String> loggingContext(String key) {
            return CompletableFuture.completedFuture(MDC.get(key));
        }

        @Override
        public CompletableFuture<String> greet(String name) {
            validateRunsInMainThread();
            mainThread = Thread.currentThread();
            return CompletableFuture.completedFuture("hello " + name);
        }

        @Override
        public void note(String entry) {
            validateRunsInMainThread();
            notes.add(entry);
        }

        @Override
        public CompletableFuture<List<String>> notes() {
            validateRunsInMainThread();
            return CompletableFuture.completedFuture(List.copyOf(notes));
        }

        @Override
        public CompletableFuture<String> greetLater(String name) {
            CompletableFuture<String> later = new CompletableFuture<>();
            scheduleRunAsync(() -> later.complete("later " + name), 50, TimeUnit.MILLISECONDS);
            return later;
        }

        @Override
        public CompletableFuture<String> greetSlowly(String name) {
            sleep(200, Duration.ZERO);
            return greet(name);
        }

        @Override
        public CompletableFuture<Void> fail() {
            throw new IllegalStateException("refused on purpose");
        }

        @Override
        public CompletableFuture<Void> sleep(long millis, Duration timeout) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String nameNow() {
            validateRunsInMainThread();
            return getEndpointId();
        }

        @Override
        protected CompletableFuture<Void> onStop() {
            validateRunsInMainThread();
            stoppedOn.complete(Thread.currentThread());
            return CompletableFuture.completedFuture(null);
        }
    }

    interface Guarded extends FencedRpcGateway<UUID> {
        CompletableFuture<String> ping();
    }

    static final class GuardedEndpoint extends FencedRpcEndpoint<UUID> implements Guarded {
        GuardedEndpoint(RpcService service, UUID token) {
            super(service, "guarded", token);
        }

        @Override
        public CompletableFuture<String> ping() {
            validateRunsInMainThread();
            return CompletableFuture.completedFuture("pong");
        }
    }

    static final class FailingStart extends RpcEndpoint {
        FailingStart(RpcService service) {
            super(service, "failing-start");
        }

        @Override
        protected void onStart() {
            throw new IllegalStateException("cannot start");
        }
    }

    private InProcessRpcSystem system;
    private RpcService service;

    @BeforeEach
    void startService() throws Exception {
        system = new InProcessRpcSystem();
        // A name no other test's cluster uses, so that its threads can be told apart.
        service =
                system.localServiceBuilder(new Configuration())
                        .withComponentName(SERVICE)
                        .createAndStart();
    }

    @AfterEach
    void closeService() throws Exception {
        service.closeAsync().get(WAIT_S, TimeUnit.SECONDS);
        system.close();
    }

    private GreeterEndpoint started(String id) {
        GreeterEndpoint endpoint = new GreeterEndpoint(service, id);
        endpoint.start();
        return endpoint;
    }

    private <C extends RpcGateway> C connect(RpcEndpoint endpoint, Class<C> type) throws Exception {
        return service.connect(endpoint.getAddress(), type).get(WAIT_S, TimeUnit.SECONDS);
    }

    @Test
    void callsRunOnTheEndpointsMainThreadInTheOrderSent() throws Exception {
        GreeterEndpoint endpoint = started("greeter");
        Greeter greeter = connect(endpoint, Greeter.class);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sent.add("n" + i);
            greeter.note("n" + i);
        }

        assertThat(greeter.notes().get(WAIT_S, TimeUnit.SECONDS)).isEqualTo(sent);
        assertThat(greeter.greet("ada").get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("hello ada");
        assertThat(greeter.nameNow()).as("a synchronous call").isEqualTo("greeter");
        assertThat(greeter.greetLater("bo").get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("later bo");
        assertThat(endpoint.mainThread.getName()).startsWith("audioflow-rpc-" + SERVICE);
    }

    @Test
    void aRepliesContinuationDoesNotRunOnTheCalleesMainThread() throws Exception {
        GreeterEndpoint endpoint = started("greeter");
        Greeter greeter = connect(endpoint, Greeter.class);

        Thread continuedOn =
                greeter.greet("x")
                        .thenApply(ignored -> Thread.currentThread())
                        .get(WAIT_S, TimeUnit.SECONDS);

        assertThat(continuedOn).isNotSameAs(endpoint.mainThread);
    }

    @Test
    void callsRunWithTheEndpointsLoggingContext() throws Exception {
        GreeterEndpoint endpoint =
                new GreeterEndpoint(service, "with-job", Map.of("flink-job-id", "job-1"));
        endpoint.start();
        GreeterEndpoint plain = started("without-job");

        assertThat(
                        connect(endpoint, Greeter.class)
                                .loggingContext("flink-job-id")
                                .get(WAIT_S, TimeUnit.SECONDS))
                .isEqualTo("job-1");
        assertThat(
                        connect(plain, Greeter.class)
                                .loggingContext("flink-job-id")
                                .get(WAIT_S, TimeUnit.SECONDS))
                .as("an endpoint without one runs without it")
                .isNull();
    }

    @Test
    void callsAndRepliesRunWithFlinksClassLoaderWhateverTheCallersIs() throws Exception {
        // The pool's threads are made by whoever posts first: here a thread with a user's loader.
        ClassLoader user = new URLClassLoader(new URL[0], null);
        CompletableFuture<List<ClassLoader>> seen = new CompletableFuture<>();
        Thread caller =
                new Thread(
                        () -> {
                            try {
                                Greeter greeter = connect(started("greeter"), Greeter.class);
                                greeter.contextClassLoaderSlowly()
                                        .thenApply(
                                                inEndpoint ->
                                                        List.of(
                                                                inEndpoint,
                                                                Thread.currentThread()
                                                                        .getContextClassLoader()))
                                        .whenComplete(
                                                (loaders, failure) -> {
                                                    if (failure != null)
                                                        seen.completeExceptionally(failure);
                                                    else seen.complete(loaders);
                                                });
                            } catch (Exception e) {
                                seen.completeExceptionally(e);
                            }
                        });
        caller.setContextClassLoader(user);
        caller.start();

        assertThat(seen.get(WAIT_S, TimeUnit.SECONDS))
                .as("in the endpoint, then in the reply's continuation")
                .containsOnly(RpcEndpoint.class.getClassLoader());
    }

    @Test
    void anEndpointsExceptionFailsTheCallersFuture() throws Exception {
        Greeter greeter = connect(started("greeter"), Greeter.class);

        assertThatThrownBy(() -> greeter.fail().get(WAIT_S, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("refused on purpose");
    }

    @Test
    void aCallTimesOutAfterItsRpcTimeout() throws Exception {
        Greeter greeter = connect(started("greeter"), Greeter.class);

        assertThatThrownBy(
                        () ->
                                greeter.sleep(2_000, Duration.ofMillis(50))
                                        .get(WAIT_S, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Greeter.sleep");
    }

    @Test
    void messagesBeforeStartAreRefused() throws Exception {
        GreeterEndpoint endpoint = new GreeterEndpoint(service, "not-started");
        Greeter greeter = connect(endpoint, Greeter.class);

        assertThatThrownBy(() -> greeter.greet("x").get(WAIT_S, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(EndpointNotStartedException.class);
    }

    @Test
    void connectingFailsForAnUnknownAddressOrAGatewayTheEndpointLacks() throws Exception {
        GreeterEndpoint endpoint = started("greeter");

        assertThatThrownBy(
                        () ->
                                service.connect("inprocess://flink/nobody", Greeter.class)
                                        .get(WAIT_S, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(RpcConnectionException.class);
        assertThatThrownBy(() -> connect(endpoint, Unrelated.class))
                .cause()
                .isInstanceOf(HandshakeException.class);
    }

    @Test
    void fencedEndpointsTakeOnlyMessagesWithTheirToken() throws Exception {
        UUID token = UUID.randomUUID();
        GuardedEndpoint endpoint = new GuardedEndpoint(service, token);
        endpoint.start();
        String address = endpoint.getAddress();

        Guarded right =
                service.connect(address, token, Guarded.class).get(WAIT_S, TimeUnit.SECONDS);
        Guarded wrong =
                service.connect(address, UUID.randomUUID(), Guarded.class)
                        .get(WAIT_S, TimeUnit.SECONDS);
        Guarded unfenced = service.connect(address, Guarded.class).get(WAIT_S, TimeUnit.SECONDS);

        assertThat(right.ping().get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("pong");
        assertThat(right.getFencingToken()).isEqualTo(token);
        assertThatThrownBy(() -> wrong.ping().get(WAIT_S, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(FencingTokenException.class);
        assertThatThrownBy(() -> unfenced.ping().get(WAIT_S, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(RpcException.class);
        assertThatThrownBy(unfenced::getFencingToken)
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void closingAnEndpointRunsItsStopHookOnItsMainThreadThenRefusesCalls() throws Exception {
        GreeterEndpoint endpoint = started("greeter");
        Greeter greeter = connect(endpoint, Greeter.class);
        greeter.greet("x").get(WAIT_S, TimeUnit.SECONDS);

        endpoint.closeAsync().get(WAIT_S, TimeUnit.SECONDS);

        assertThat(endpoint.stoppedOn).isDone();
        assertThatThrownBy(() -> greeter.greet("y").get(WAIT_S, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(RecipientUnreachableException.class);
        assertThatThrownBy(() -> connect(endpoint, Greeter.class))
                .cause()
                .isInstanceOf(RpcConnectionException.class);
    }

    @Test
    void aFailedStartTerminatesTheEndpointWithTheCause() {
        FailingStart endpoint = new FailingStart(service);
        endpoint.start();

        assertThatThrownBy(() -> endpoint.getTerminationFuture().get(WAIT_S, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(RpcException.class)
                .hasRootCauseMessage("cannot start");
    }

    @Test
    void closingTheServiceStopsItsEndpointsAndItsThreads() throws Exception {
        GreeterEndpoint endpoint = started("greeter");
        connect(endpoint, Greeter.class).greet("x").get(WAIT_S, TimeUnit.SECONDS);

        service.closeAsync().get(WAIT_S, TimeUnit.SECONDS);

        assertThat(endpoint.stoppedOn).isDone();
        assertThat(endpoint.getTerminationFuture()).isDone();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (rpcThreadsAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(rpcThreadsAlive()).as("the pool's threads end with the service").isFalse();
    }

    @Test
    void endpointsOfAnotherServiceOfTheSameSystemCanBeReached() throws Exception {
        RpcService metrics =
                system.localServiceBuilder(new Configuration())
                        .withComponentName("flink-metrics")
                        .createAndStart();
        try {
            GreeterEndpoint there = new GreeterEndpoint(metrics, "there");
            there.start();

            Greeter greeter =
                    service.connect(there.getAddress(), Greeter.class)
                            .get(WAIT_S, TimeUnit.SECONDS);

            assertThat(greeter.greet("x").get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("hello x");
        } finally {
            metrics.closeAsync().get(WAIT_S, TimeUnit.SECONDS);
        }
    }

    @Test
    void remoteServicesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> system.remoteServiceBuilder(new Configuration(), null, "0"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("Pekko");
    }

    private static boolean rpcThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("audioflow-rpc-" + SERVICE) && t.isAlive());
    }
}
