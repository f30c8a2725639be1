package dev.edapatterns.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import dev.edapatterns.contracts.orders.PurchaseCompleted;

/**
 * The long variant of {@link OrderCheckoutCrashTest}
 * ({@code ./mvnw -B verify -Psoak -pl order-app,e2e -am -Dtest=OrderCheckoutSoakTest}): 10,000 orders stream into
 * a checkout process and a views process while checkout is killed 16 times and the views process 4 times, at random
 * moments, each restarted with the same ids after 0-5 s. Every order is still checked out, delivered and invoiced
 * exactly once, the stock is initial − the exact sum and no invoice number is used twice.
 */
@Isolated("the long fault schedule is sized for a machine to itself")
@Tag("soak")
class OrderCheckoutSoakTest {

    static final int ORDERS = 10_000;
    static final int KILLS = 20;

    @Test
    void twentyKillsWhileTenThousandOrdersStreamIn() {
        long t0 = System.nanoTime();
        try (OrderPipeline pipeline = new OrderPipeline("soak-orders")) {
            pipeline.checkout.extra.putAll(OrderCheckoutCrashTest.SMALL_BATCHES);
            pipeline.start();
            String run = "soak-" + UUID.randomUUID().toString().substring(0, 6);
            List<String> skus = new ArrayList<>();
            Map<String, Long> initial = new LinkedHashMap<>();
            for (int i = 0; i < 8; i++) {
                String sku = run + "-sku" + i;
                skus.add(sku);
                pipeline.setStock(sku, 1_000_000);
                initial.put(sku, 1_000_000L);
            }
            List<PurchaseCompleted> orders = OrderPipeline.orders(run, ORDERS, skus);
            List<OrderCheckoutCrashTest.PlannedKill> plan = new ArrayList<>();
            double width = 0.95 / KILLS;
            for (int k = 0; k < KILLS; k++) {
                OrderPipeline.Role role = k % 5 == 2 ? OrderPipeline.Role.VIEWS : OrderPipeline.Role.CHECKOUT;
                plan.add(new OrderCheckoutCrashTest.PlannedKill(role, 0.02 + k * width, 0.02 + (k + 1) * width));
            }
            // slow enough that the stream outlasts 16 checkout restarts
            List<String> kills = OrderCheckoutCrashTest.runWithKills(pipeline, orders, 30, plan, 5000);
            OrderViewsCheck.awaitComplete(pipeline, orders, initial, Duration.ofMinutes(5));
            pipeline.awaitCaughtUp();
            OrderViewsCheck.verify(pipeline, orders, initial);
            OrderPipeline.log("ORDERS SOAK passed in %d s: %d orders, %d kills", Duration.ofNanos(System.nanoTime() - t0).toSeconds(),
                    ORDERS, kills.size());
            kills.forEach(k -> OrderPipeline.log("ORDERS SOAK kill %s", k));
        }
    }
}
