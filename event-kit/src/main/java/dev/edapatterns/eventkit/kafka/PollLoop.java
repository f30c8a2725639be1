package dev.edapatterns.eventkit.kafka;

import java.time.Duration;
import java.util.Objects;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The life cycle every plain-client consumer of the kit shares: one daemon thread that owns one consumer and runs a
 * body until it returns, fails or is closed. {@link #close} stops it with {@link Consumer#wakeup()} (and an interrupt
 * for a body that may wait on something else), waits for the thread, and the consumer is closed on that thread (a
 * {@code KafkaConsumer} must only be used by one thread). A failure is kept ({@link #failure()}) for health checks.
 *
 * <p>Why a thread of its own and not a SmallRye channel: the stores and feeds assign every partition without a group,
 * the atomic store commits offsets inside its producer's transaction and the key-ordered processor keeps polling
 * while a key waits for its retry; each class says which applies.
 */
public final class PollLoop<C extends Consumer<?, ?>> implements AutoCloseable {

    /** What runs on the loop's thread; it polls while {@link PollLoop#running()}. */
    @FunctionalInterface
    public interface Body<C> {
        void run(C consumer) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(PollLoop.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final C consumer;
    private final Thread thread;
    private final Body<C> body;
    private Runnable onStop = () -> { };
    private boolean interruptOnClose;
    private volatile boolean running = true;
    private volatile boolean started;
    private volatile Throwable failure;

    private PollLoop(String name, C consumer, Body<C> body) {
        this.name = Objects.requireNonNull(name, "name");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.body = Objects.requireNonNull(body, "body");
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** A loop named {@code name} (also its thread's name) running {@code body} over {@code consumer}; not started. */
    public static <C extends Consumer<?, ?>> PollLoop<C> of(String name, C consumer, Body<C> body) {
        return new PollLoop<>(name, consumer, body);
    }

    /**
     * Runs {@code onStop} on the loop's thread after the body ended for any reason, before the consumer is closed:
     * e.g. to fail the callers still waiting for the loop. Set before {@link #start()}.
     */
    public PollLoop<C> onStop(Runnable onStop) {
        this.onStop = Objects.requireNonNull(onStop);
        return this;
    }

    /** Also interrupts the thread on close: for a body that may block outside the consumer (e.g. on a full queue). */
    public PollLoop<C> interruptOnClose() {
        this.interruptOnClose = true;
        return this;
    }

    public PollLoop<C> start() {
        started = true;
        thread.start();
        return this;
    }

    /** False once {@link #close()} was called: the body's condition to keep polling. */
    public boolean running() {
        return running;
    }

    /** Started, its thread alive, and not failed. */
    public boolean isAlive() {
        return started && thread.isAlive() && failure == null;
    }

    /** Null while running; why the body stopped otherwise. */
    public Throwable failure() {
        return failure;
    }

    /** Interrupts a poll of the loop's consumer (thread-safe): the body sees a {@link WakeupException}. */
    public void wakeup() {
        consumer.wakeup();
    }

    /** Stops the loop and waits up to {@code timeout} for its thread (which then closes the consumer). */
    public void close(Duration timeout) {
        running = false;
        consumer.wakeup();
        if (interruptOnClose) {
            thread.interrupt();
        }
        if (!started) {
            consumer.close(Duration.ZERO);
            return;
        }
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(15));
    }

    private void run() {
        try {
            body.run(consumer);
        } catch (WakeupException | InterruptException | InterruptedException e) {
            if (running) { // not close(): nobody else wakes or interrupts the loop
                fail(e);
            }
        } catch (Throwable t) {
            fail(t);
        } finally {
            running = false;
            Thread.interrupted(); // an interrupt from close() must not fail the consumer's close
            try {
                onStop.run();
            } finally {
                try {
                    consumer.close(CLOSE_TIMEOUT);
                } catch (RuntimeException e) {
                    LOG.debugf(e, "%s: closing the consumer", name);
                }
            }
        }
    }

    private void fail(Throwable t) {
        failure = t;
        LOG.errorf(t, "%s stopped", name);
    }
}
