package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.eventkit.testing.TestKafka;

/**
 * Pattern 5 as an operator runs it: order-app packaged and started twice, as a checkout process
 * ({@code order.checkout.enabled=true}, {@code order.views.enabled=false}) and as a views process (the reverse), each
 * with its own port and {@code eventkit.instance-id} (checkout's {@code transactional.id} and
 * {@code group.instance.id} are {@code order-app-checkout-<id>}, each view writer's {@code order-app-<view>-<id>}).
 * A process is killed with SIGKILL and restarted with the same id and port. Orders are fed straight to
 * {@code orders.purchase-completed} (idempotent producer, acks=all), one record per order as the payments store writes
 * them; they belong to the customer {@value #CUSTOMER}, who reads their deliveries and invoices.
 */
final class OrderPipeline implements AutoCloseable {

    static final String CHECKOUT_GROUP = "order-checkout";
    /** The views' writers (event-kit atomic stores: {@code atomic-<view>}). */
    static final List<String> VIEW_GROUPS = List.of("atomic-deliveries", "atomic-inventory", "atomic-invoices");
    /** The customer of every order. */
    static final String CUSTOMER = Http.CUSTOMER;

    enum Role { CHECKOUT, VIEWS }

    /** One order-app process; {@code app} is replaced on restart (from another thread). */
    final class Member {
        final Role role;
        final String instanceId;
        final int port = KafkaBroker.freePort();
        final Map<String, String> extra = new HashMap<>();
        volatile RunningApp app;

        Member(Role role, String instanceId) {
            this.role = role;
            this.instanceId = instanceId;
        }

        Member start() {
            Map<String, String> props = new HashMap<>();
            props.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
            props.put("eventkit.instance-id", instanceId);
            // a dead member is noticed in ~6 s; transaction.timeout.ms stays at Kafka's default (60 s): a killed
            // process's open transaction is fenced by its restart (same transactional.id), not by the timeout
            props.put("kafka.session.timeout.ms", TestKafka.FAST_FAILOVER.get("session.timeout.ms"));
            props.put("kafka.heartbeat.interval.ms", TestKafka.FAST_FAILOVER.get("heartbeat.interval.ms"));
            props.put("order.checkout.enabled", String.valueOf(role == Role.CHECKOUT));
            props.put("order.views.enabled", String.valueOf(role == Role.VIEWS));
            props.putAll(extra);
            long t0 = System.nanoTime();
            RunningApp started = RunningApp.start("order-app", "order-app-" + role.name().toLowerCase() + "-" + instanceId,
                    port, props);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> ready(started));
            app = started;
            log("%s %s ready in %d ms", role, instanceId, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            return this;
        }

        void kill() {
            log("kill -9 %s %s", role, instanceId);
            app.kill();
        }

        void stop() {
            app.close();
        }

        boolean isAlive() {
            RunningApp a = app;
            return a != null && a.isAlive();
        }

        String url() {
            return app.url();
        }
    }

    private final Admin admin = Admin.create(TestKafka.clients().admin());
    private final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of(
            ProducerConfig.LINGER_MS_CONFIG, 5)), new ByteArraySerializer(), new ByteArraySerializer());
    final Member checkout;
    final Member views;

    OrderPipeline(String prefix) {
        checkout = new Member(Role.CHECKOUT, prefix + "-checkout");
        views = new Member(Role.VIEWS, prefix + "-views");
    }

    /** Starts both processes (in parallel). */
    OrderPipeline start() {
        CompletableFuture.allOf(CompletableFuture.runAsync(checkout::start), CompletableFuture.runAsync(views::start)).join();
        return this;
    }

    private static boolean ready(RunningApp app) {
        try {
            return app.ready();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Sets a sku's stock through the views process (role reference-admin); 200 once its view shows it. */
    void setStock(String sku, long stock) {
        Http.Response r = Http.as(Http.ADMIN).put(views.url() + "/inventory/" + sku, "{\"stock\":" + stock + "}");
        if (r.status() == 202) { // sent, but the view did not show it within the read-your-writes timeout (busy box)
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                Http.Response now = Http.get(views.url() + "/inventory/" + sku);
                return now.status() == 200 && now.json().get("stock").asLong() == stock;
            });
        } else if (r.status() != 200) {
            throw new IllegalStateException("PUT /inventory/" + sku + ": " + r.status() + " " + r.body());
        }
    }

    /** A batch of orders of one run: ids {@code <run>-<i>}, 1-3 lines over {@code skus}, each line qty 1-3. */
    static List<PurchaseCompleted> orders(String run, int count, List<String> skus) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<PurchaseCompleted> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<OrderItem> items = new ArrayList<>();
            int lines = 1 + random.nextInt(3);
            BigDecimal total = BigDecimal.ZERO;
            for (int l = 0; l < lines; l++) {
                OrderItem item = new OrderItem(skus.get(random.nextInt(skus.size())), 1 + random.nextInt(3), new BigDecimal("1.50"));
                items.add(item);
                total = total.add(item.unitPrice().multiply(BigDecimal.valueOf(item.qty())));
            }
            orders.add(new PurchaseCompleted(run + "-" + i, CUSTOMER, items, "EUR", "FR", total, Instant.now()));
        }
        return orders;
    }

    /** Expected quantity per sku over the orders. */
    static Map<String, Long> quantities(List<PurchaseCompleted> orders) {
        Map<String, Long> q = new LinkedHashMap<>();
        orders.forEach(o -> o.items().forEach(i -> q.merge(i.sku(), (long) i.qty(), Long::sum)));
        return q;
    }

    /** How many orders contain the sku (the inventory counts each order once per sku). */
    static Map<String, Long> ordersPerSku(List<PurchaseCompleted> orders) {
        Map<String, Long> q = new LinkedHashMap<>();
        orders.forEach(o -> o.items().stream().map(OrderItem::sku).distinct().forEach(s -> q.merge(s, 1L, Long::sum)));
        return q;
    }

    /** Feeds the orders in the background at about {@code perSecond}; {@code fed} counts the acknowledged ones. */
    CompletableFuture<Void> feed(List<PurchaseCompleted> orders, int perSecond, AtomicInteger fed) {
        return CompletableFuture.runAsync(() -> {
            var topic = Topics.ORDERS_PURCHASE_COMPLETED;
            long t0 = System.nanoTime();
            List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < orders.size(); i++) {
                PurchaseCompleted p = orders.get(i);
                RecordHeaders headers = new RecordHeaders();
                byte[] k = topic.keySerializer().serialize(topic.name(), headers, p.orderId());
                byte[] v = topic.valueSerializer().serialize(topic.name(), headers, p);
                sends.add(producer.send(new ProducerRecord<>(topic.name(), null, k, v, headers), (md, e) -> {
                    if (e == null) {
                        fed.incrementAndGet();
                    }
                }));
                long due = t0 + TimeUnit.SECONDS.toNanos(i + 1) / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) { // the feed's pace, as payments would send: not a wait for the system
                    RandomKills.sleep(TimeUnit.NANOSECONDS.toMillis(wait));
                }
            }
            producer.flush();
            for (var s : sends) {
                try {
                    s.get();
                } catch (Exception e) {
                    throw new IllegalStateException("an order was not acknowledged", e);
                }
            }
        });
    }

    /** End offsets of orders.purchase-completed now: with {@link #checkedOutSince} the run's checkout progress. */
    Map<TopicPartition, Long> purchaseEnds() {
        try {
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            for (int p = 0; p < Topics.ORDERS_PURCHASE_COMPLETED.partitions(); p++) {
                specs.put(new TopicPartition(Topics.ORDERS_PURCHASE_COMPLETED.name(), p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(specs).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        } catch (Exception e) {
            throw new IllegalStateException("cannot list offsets of orders.purchase-completed", e);
        }
    }

    /** Purchases the checkout group committed since {@code from} (its offsets commit in checkout's transactions). */
    long checkedOutSince(Map<TopicPartition, Long> from) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(CHECKOUT_GROUP)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            long sum = 0;
            for (var e : from.entrySet()) {
                OffsetAndMetadata om = committed.get(e.getKey());
                sum += Math.max(0, (om == null ? 0 : om.offset()) - e.getValue());
            }
            return sum;
        } catch (Exception e) {
            return 0; // e.g. no offsets yet
        }
    }

    /**
     * Waits until checkout and the views consumed everything committed for them and no transaction is open on their
     * topics: from then on the processes write nothing more (they write only in reaction to those records).
     */
    void awaitCaughtUp() {
        List<String> groups = new ArrayList<>(VIEW_GROUPS);
        groups.add(CHECKOUT_GROUP);
        CaughtUp.await(TestKafka.clients(), groups);
    }

    static void log(String format, Object... args) {
        ImporterCluster.log(format, args);
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (Member m : List.of(checkout, views)) {
            if (m.app != null) {
                stopping.add(CompletableFuture.runAsync(m::stop));
            }
        }
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
