package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.PurchaseCompleted;

/**
 * Pattern 5 under {@code kill -9}: checkout and the views (deliveries, inventory, invoices) run as two order-app
 * processes. Orders stream in while checkout is killed twice and the views process once, each restarted with the
 * same ids; every order still appears exactly once in each view, the stock is initial − the exact sum, no invoice
 * number is used twice. Teeth: a checkout that fails every transaction after sending leaves its records on the log
 * (a read_uncommitted reader sees them) and the views never count them. (The 20-kill, 10,000-order variant is
 * {@link OrderCheckoutSoakTest}.)
 */
@ResourceLock(BrokerGroups.ORDER_APP)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderCheckoutCrashTest {

    static final Duration COMPLETION = Duration.ofMinutes(3);
    /** Small checkout batches: more transactions, so a kill lands inside one more often. */
    static final Map<String, String> SMALL_BATCHES = Map.of("mp.messaging.incoming.purchases.max.poll.records", "50");

    private OrderPipeline pipeline;

    @BeforeAll
    void startCheckoutAndViews() {
        pipeline = new OrderPipeline("eos");
        pipeline.checkout.extra.putAll(SMALL_BATCHES);
        pipeline.start();
    }

    @AfterAll
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /**
     * Teeth: the same checkout (same instance id) with {@code order.checkout.fail-before-commit}: its records reach
     * the log and are aborted. A read_uncommitted reader sees every checkout and view command of the run; the views
     * count none of them. Back to a healthy checkout (same id), each order is counted exactly once.
     */
    @Test
    @Order(1)
    void abortedCheckoutsAreOnTheLogButNeverCounted() {
        String run = "teeth-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> skus = List.of(run + "-s1", run + "-s2");
        Map<String, Long> initial = stock(skus, 1000);
        List<PurchaseCompleted> orders = OrderPipeline.orders(run, 30, skus);
        Set<String> ids = OrderViewsCheck.ids(orders);

        pipeline.checkout.stop();
        pipeline.checkout.extra.put("order.checkout.fail-before-commit", "true");
        pipeline.checkout.start();
        pipeline.feed(orders, 1000, new AtomicInteger()).join();

        String checkouts = Topics.ORDERS_CHECKOUT_COMPLETED.name();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> OrderViewsCheck.keySet(checkouts, "read_uncommitted").containsAll(ids));
        OrderPipeline.log("teeth: all %d aborted checkouts seen by a read_uncommitted reader", ids.size());
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() ->
                OrderViewsCheck.keySet(checkouts, "read_committed").stream().noneMatch(ids::contains)
                        && OrderViewsCheck.keySet(Topics.ORDERS_DELIVERIES_STORE.name(), "read_uncommitted").stream().noneMatch(ids::contains)
                        && OrderViewsCheck.keySet(Topics.ORDERS_INVOICES.name(), "read_uncommitted").stream().noneMatch(ids::contains)
                        && skus.stream().allMatch(s -> OrderViewsCheck.get(pipeline.views.url() + "/inventory/" + s)
                                .get("stock").asLong() == 1000)
                        && OrderViewsCheck.customerGet(pipeline.views.url() + "/deliveries/" + orders.get(0).orderId()).status() == 404
                        && OrderViewsCheck.customerGet(pipeline.views.url() + "/invoices/" + orders.get(0).orderId()).status() == 404);

        pipeline.checkout.stop();
        pipeline.checkout.extra.remove("order.checkout.fail-before-commit");
        pipeline.checkout.start();
        OrderViewsCheck.awaitComplete(pipeline, orders, initial, COMPLETION);
        pipeline.awaitCaughtUp(); // a late duplicate would have to come from work still pending
        OrderViewsCheck.verify(pipeline, orders, initial);
    }

    /** Two checkout kills and one views kill while 3,000 orders stream in at 80 per second. */
    @Test
    @Order(2)
    void everyOrderOnceInEachViewThroughKills() {
        String run = "kills-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> skus = List.of(run + "-a", run + "-b", run + "-c", run + "-d");
        Map<String, Long> initial = stock(skus, 100_000);
        List<PurchaseCompleted> orders = OrderPipeline.orders(run, 3000, skus);
        List<String> kills = runWithKills(pipeline, orders, 80, List.of(
                new PlannedKill(OrderPipeline.Role.CHECKOUT, 0.10, 0.25),
                new PlannedKill(OrderPipeline.Role.VIEWS, 0.35, 0.50),
                new PlannedKill(OrderPipeline.Role.CHECKOUT, 0.60, 0.80)), 2000);
        OrderViewsCheck.awaitComplete(pipeline, orders, initial, COMPLETION);
        pipeline.awaitCaughtUp();
        OrderViewsCheck.verify(pipeline, orders, initial);
        OrderPipeline.log("kills verified: %s", kills);
    }

    record PlannedKill(OrderPipeline.Role role, double from, double to) {
    }

    /**
     * Feeds the orders at {@code perSecond} and, for each planned kill, waits until a random fraction in [from, to)
     * of them was checked out (the checkout group's committed offsets), pauses up to 300 ms, {@code kill -9}s the
     * process and restarts it (same id and port) after up to {@code maxDownMillis}. Every kill must land while
     * orders are still waiting for checkout. Returns what happened, for the log.
     */
    static List<String> runWithKills(OrderPipeline pipeline, List<PurchaseCompleted> orders, int perSecond,
            List<PlannedKill> plan, long maxDownMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Map<TopicPartition, Long> start = pipeline.purchaseEnds();
        AtomicInteger fed = new AtomicInteger();
        CompletableFuture<Void> feeding = pipeline.feed(orders, perSecond, fed);
        Map<OrderPipeline.Role, CompletableFuture<Void>> restarts = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        int total = orders.size();
        for (PlannedKill kill : plan) {
            OrderPipeline.Member victim = kill.role() == OrderPipeline.Role.CHECKOUT ? pipeline.checkout : pipeline.views;
            CompletableFuture<Void> previous = restarts.remove(kill.role());
            if (previous != null) {
                previous.join(); // the victim must be running again
            }
            long target = (long) Math.ceil(total * (kill.from() + random.nextDouble() * (kill.to() - kill.from())));
            await().atMost(COMPLETION).pollInterval(Duration.ofMillis(50)).until(() -> pipeline.checkedOutSince(start) >= target);
            sleep(Duration.ofMillis(random.nextLong(300)));
            long progress = pipeline.checkedOutSince(start);
            victim.kill();
            long down = random.nextLong(maxDownMillis + 1);
            String what = String.format("%s at %d/%d checked out (%d fed), down %d ms", kill.role(), progress, total,
                    fed.get(), down);
            done.add(what);
            OrderPipeline.log("killed %s", what);
            assertTrue(progress < total, "the kill landed mid-stream: " + what);
            restarts.put(kill.role(), CompletableFuture.runAsync(() -> {
                sleep(Duration.ofMillis(down));
                victim.start();
            }));
        }
        restarts.values().forEach(CompletableFuture::join);
        feeding.join();
        return done;
    }

    private Map<String, Long> stock(List<String> skus, long each) {
        Map<String, Long> initial = new LinkedHashMap<>();
        for (String sku : skus) {
            pipeline.setStock(sku, each);
            initial.put(sku, each);
        }
        assertEquals(skus.size(), initial.keySet().stream().collect(Collectors.toSet()).size());
        return initial;
    }

    static void sleep(Duration d) {
        RandomKills.sleep(d.toMillis());
    }
}
