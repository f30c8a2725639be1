package dev.edapatterns.eventkit.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.eventkit.EventKitConfig;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.metrics.EventKitMetrics;
import dev.edapatterns.eventkit.tracing.KafkaTracing;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Opens the app's stores with the app's Kafka configuration, reports them to readiness and metrics and closes them on
 * shutdown. Typical use, in the bean that owns the data:
 *
 * <pre>
 * &#64;Produces &#64;Singleton &#64;Startup
 * CompactedStore&lt;String, Country&gt; countries(Stores stores) { return stores.compacted(Topics.REFERENCE_COUNTRIES); }
 * </pre>
 * ({@code @Singleton}, not {@code @ApplicationScoped}: the stores are final classes and need no client proxy.)
 */
@Singleton
public class Stores {

    private final KafkaClients clients;
    private final EventKitConfig config;
    private final String appName;
    private final KafkaTracing tracing;
    private final List<CompactedStore<?, ?>> compacted = new CopyOnWriteArrayList<>();
    private final List<AtomicStore<?, ?, ?>> atomic = new CopyOnWriteArrayList<>();
    private final EventKitMetrics metrics;
    private final Map<Object, EventKitMetrics.Registration> meters = new ConcurrentHashMap<>();

    Stores(KafkaClients clients, EventKitConfig config, EventKitMetrics metrics, KafkaTracing tracing,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "app") String appName) {
        this.clients = clients;
        this.tracing = tracing;
        this.config = config;
        this.metrics = metrics;
        this.appName = appName;
    }

    public <K, V> CompactedStore<K, V> compacted(Topic<K, V> topic) {
        return compacted(CompactedStore.builder(topic));
    }

    public <K, V> CompactedStore<K, V> compacted(CompactedStore.Builder<K, V> builder) {
        CompactedStore<K, V> store = builder.start(clients.consumer(java.util.Map.of()));
        compacted.add(store);
        meters.put(store, metrics.compactedStore(store));
        return store;
    }

    /**
     * Starts an atomic store; unless set, its {@code transactional.id} is
     * {@code <quarkus.application.name>-<store name>-<eventkit.instance-id>}: stable across restarts of this process.
     */
    public <K, S, C> AtomicStore<K, S, C> atomic(AtomicStore.Builder<K, S, C> builder) {
        if (builder.clients == null) {
            builder.clients(clients);
        }
        if (builder.tracing == KafkaTracing.noop()) {
            builder.tracing(tracing);
        }
        if (builder.transactionalId == null) {
            builder.transactionalId(appName + "-" + builder.name + "-" + config.instanceId());
        }
        AtomicStore<K, S, C> store = builder.start();
        atomic.add(store);
        meters.put(store, metrics.atomicStore(store));
        return store;
    }

    public List<CompactedStore<?, ?>> compactedStores() {
        return List.copyOf(compacted);
    }

    public List<AtomicStore<?, ?, ?>> atomicStores() {
        return List.copyOf(atomic);
    }

    /** Forget (and close) a store opened here, e.g. one a test opened. */
    public void close(AutoCloseable store) throws Exception {
        compacted.remove(store);
        atomic.remove(store);
        var registration = meters.remove(store);
        if (registration != null) {
            registration.close();
        }
        store.close();
    }

    /**
     * Atomic stores first (a reducer may still read a compacted store), then the compacted ones; each group closed
     * side by side: a store's close waits for its consumer's in-flight fetch (up to {@code fetch.max.wait.ms}) and one
     * after another that came to seconds per shutdown.
     */
    void onStop(@Observes ShutdownEvent event) {
        closeSideBySide(atomic);
        closeSideBySide(compacted);
    }

    private static void closeSideBySide(List<? extends AutoCloseable> stores) {
        CompletableFuture.allOf(stores.stream()
                .map(store -> CompletableFuture.runAsync(() -> {
                    try {
                        store.close();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, task -> new Thread(task, "store-close").start()))
                .toArray(CompletableFuture[]::new)).join();
    }
}
