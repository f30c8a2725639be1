package dev.edapatterns.eventkit.store;

import java.util.concurrent.CountDownLatch;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.testing.TestKafka;

/**
 * A child JVM owning the counter atomic store, for the kill -9 test.
 * Args: bootstrap commandsTopic storeTopic appliedTopic transactionalId.
 */
public final class CounterWorkerMain {

    public static final String READY = "COUNTER WORKER READY";

    public static void main(String[] args) throws InterruptedException {
        KafkaClients clients = KafkaClients.of(args[0]).with(TestKafka.FAST_FAILOVER);
        Topic<String, Counter.Add> commands = Topic.builder(args[1], Counter.Add.class).build();
        Topic<String, Counter> store = Topic.builder(args[2], Counter.class).compacted().atomicStoreState().build();
        Topic<String, Counter.Applied> applied = Topic.builder(args[3], Counter.Applied.class).build();
        AtomicStore<String, Counter, Counter.Add> atomic = AtomicStore
                .builder("counter", commands, store, Counter.reducer(applied), Counter.Add::commandId)
                .clients(clients).transactionalId(args[4]).start();
        while (atomic.stats().partitions() == 0) {
            if (atomic.failure() != null) {
                throw new IllegalStateException(atomic.failure());
            }
            Thread.sleep(50);
        }
        System.out.println(READY + " partitions=" + atomic.stats().partitions());
        new CountDownLatch(1).await(); // until killed
    }
}
