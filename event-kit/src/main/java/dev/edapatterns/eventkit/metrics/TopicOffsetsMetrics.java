package dev.edapatterns.eventkit.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.provisioning.TopicProvisioning;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Sizes of the app's dead-letter and retry topics from their offsets (no records are read), for every topic of
 * {@code eventkit.topics}:
 * <ul>
 * <li>{@code eventkit_dlq_records{topic}}: records in each {@code *.dlq} topic now (end minus start offsets);</li>
 * <li>{@code eventkit_retry_topic_records_total{topic}}: records ever written to each retry topic
 * ({@code <source>_retry_<delay ms>}, sum of end offsets), i.e. retries per topic; {@code rate()} gives retries/s.</li>
 * </ul>
 * A scrape never waits for Kafka: it reads the last values and, when they are older than {@link #MAX_AGE}, starts
 * one asynchronous refresh (two {@code listOffsets} calls for all topics). The first scrape after start may show NaN.
 */
@Singleton
public class TopicOffsetsMetrics {

    static final Duration MAX_AGE = Duration.ofSeconds(5);
    private static final Pattern RETRY_TOPIC = Pattern.compile(".*_retry_\\d+$");
    private static final Logger LOG = Logger.getLogger(TopicOffsetsMetrics.class);

    private record Sizes(long retained, long written) {
    }

    private final TopicProvisioning topics;
    private final KafkaClients clients;
    private final MeterRegistry registry;
    private final Map<String, Sizes> sizes = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile List<Topic<?, ?>> watched = List.of();
    private volatile long refreshedAt;
    private volatile Admin admin;

    TopicOffsetsMetrics(TopicProvisioning topics, KafkaClients clients, MeterRegistry registry) {
        this.topics = topics;
        this.clients = clients;
        this.registry = registry;
        this.refreshedAt = System.nanoTime() - MAX_AGE.toNanos() - 1;
    }

    void onStart(@Observes StartupEvent event) {
        watched = topics.declaredTopics().stream()
                .filter(t -> t.name().endsWith(".dlq") || RETRY_TOPIC.matcher(t.name()).matches()).toList();
        for (Topic<?, ?> topic : watched) {
            String name = topic.name();
            if (name.endsWith(".dlq")) {
                Gauge.builder("eventkit.dlq.records", this, m -> m.value(name, Sizes::retained))
                        .description("Records in the dead-letter topic (end minus start offsets)").tag("topic", name)
                        .register(registry);
            } else {
                FunctionCounter.builder("eventkit.retry.topic.records", this, m -> m.value(name, Sizes::written))
                        .description("Records ever written to the retry topic (sum of end offsets)").tag("topic", name)
                        .register(registry);
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        Admin current = admin;
        if (current != null) {
            current.close(Duration.ofSeconds(2));
        }
    }

    private double value(String topic, Function<Sizes, Long> which) {
        if (System.nanoTime() - refreshedAt > MAX_AGE.toNanos()) {
            refresh();
        }
        Sizes s = sizes.get(topic);
        return s == null ? Double.NaN : which.apply(s);
    }

    private void refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        try {
            Admin client = admin();
            client.describeTopics(watched.stream().map(Topic::name).toList()).allTopicNames().toCompletionStage()
                    .thenCompose(described -> {
                        List<TopicPartition> tps = described.values().stream()
                                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                                .toList();
                        var start = client.listOffsets(spec(tps, OffsetSpec.earliest()), new ListOffsetsOptions()).all()
                                .toCompletionStage();
                        var end = client.listOffsets(spec(tps, OffsetSpec.latest()), new ListOffsetsOptions()).all()
                                .toCompletionStage();
                        return start.thenCombine(end, this::store);
                    })
                    .whenComplete((ok, error) -> {
                        if (error != null) {
                            done(error);
                        }
                    });
        } catch (RuntimeException e) {
            done(e);
        }
    }

    private Void store(Map<TopicPartition, ListOffsetsResultInfo> start, Map<TopicPartition, ListOffsetsResultInfo> end) {
        Map<String, List<TopicPartition>> byTopic = end.keySet().stream().collect(Collectors.groupingBy(TopicPartition::topic));
        byTopic.forEach((topic, tps) -> {
            long written = 0;
            long retained = 0;
            for (TopicPartition tp : tps) {
                long e = end.get(tp).offset();
                written += e;
                retained += e - (start.containsKey(tp) ? start.get(tp).offset() : 0);
            }
            sizes.put(topic, new Sizes(retained, written));
        });
        refreshedAt = System.nanoTime();
        refreshing.set(false);
        return null;
    }

    private void done(Throwable error) {
        LOG.debugf("Topic offsets for metrics not read: %s", error.toString());
        refreshedAt = System.nanoTime(); // retried after MAX_AGE, not on every scrape
        refreshing.set(false);
    }

    private static Map<TopicPartition, OffsetSpec> spec(List<TopicPartition> tps, OffsetSpec spec) {
        return tps.stream().collect(Collectors.toMap(tp -> tp, tp -> spec));
    }

    private Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    Map<String, Object> config = new java.util.HashMap<>(clients.admin());
                    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "eventkit-topic-offsets");
                    admin = Admin.create(config);
                }
            }
        }
        return admin;
    }
}
