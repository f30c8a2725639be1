package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.Invoice;
import dev.edapatterns.contracts.orders.InvoiceCommand;
import dev.edapatterns.contracts.orders.InvoiceCounter;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.eventkit.store.StoredState;
import dev.edapatterns.eventkit.testing.TopicRecords;

/**
 * What "exactly once" means for the orders of one run, checked on the committed topics and through the views' REST
 * API: each order checked out once, delivered once, invoiced once with a number no other invoice has, and the stock
 * of each sku = initial − the exact sum of its ordered quantities.
 */
final class OrderViewsCheck {


    private OrderViewsCheck() {
    }

    /** Waits until the views show every order of the run (invoices, deliveries and stock all complete). */
    static void awaitComplete(OrderPipeline pipeline, List<PurchaseCompleted> orders, Map<String, Long> initialStock,
            Duration timeout) {
        Set<String> ids = ids(orders);
        Map<String, Long> quantities = OrderPipeline.quantities(orders);
        await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!pipeline.views.isAlive()) {
                return false;
            }
            Set<String> invoiced = TopicRecords.readCommitted(Topics.ORDERS_INVOICES).stream().map(ConsumerRecord::key)
                    .filter(ids::contains).collect(Collectors.toSet());
            Set<String> delivered = TopicRecords.readCommitted(StoredState.topic(Topics.ORDERS_DELIVERIES_STORE)).stream().map(ConsumerRecord::key)
                    .filter(ids::contains).collect(Collectors.toSet());
            if (invoiced.size() < ids.size() || delivered.size() < ids.size()) {
                OrderPipeline.log("views so far: %d/%d invoiced, %d/%d delivered", invoiced.size(), ids.size(),
                        delivered.size(), ids.size());
                return false;
            }
            for (var e : quantities.entrySet()) {
                Http.Response r = Http.get(pipeline.views.url() + "/inventory/" + e.getKey());
                if (r.status() != 200 || r.json().get("stock").asLong() != initialStock.get(e.getKey()) - e.getValue()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The exactly-once assertions, after the views showed everything and a settle time for late duplicates. */
    static void verify(OrderPipeline pipeline, List<PurchaseCompleted> orders, Map<String, Long> initialStock) {
        Set<String> ids = ids(orders);
        int n = ids.size();

        // checkout: one committed checkout-completed per order, whatever was killed
        Map<String, Long> checkouts = count(TopicRecords.readCommitted(Topics.ORDERS_CHECKOUT_COMPLETED), ids);
        assertEquals(ids, checkouts.keySet(), "every order checked out");
        assertEquals(Map.of(), only(checkouts, c -> c != 1), "orders checked out more than once");

        // deliveries: one state per order, applied once (version 1), written once
        var deliveryRecords = TopicRecords.readCommitted(StoredState.topic(Topics.ORDERS_DELIVERIES_STORE)).stream()
                .filter(r -> ids.contains(r.key())).toList();
        Map<String, Long> deliveries = count(deliveryRecords, ids);
        assertEquals(ids, deliveries.keySet(), "every order delivered");
        assertEquals(Map.of(), only(deliveries, c -> c != 1), "deliveries written more than once");
        assertTrue(deliveryRecords.stream().allMatch(r -> r.value().version() == 1), "a delivery applied twice");

        // invoices: one per order; no number ever used twice (over every run on this broker)
        List<ConsumerRecord<String, Invoice>> allInvoices = TopicRecords.readCommitted(Topics.ORDERS_INVOICES);
        Map<String, Long> invoices = count(allInvoices, ids);
        assertEquals(ids, invoices.keySet(), "every order invoiced");
        assertEquals(Map.of(), only(invoices, c -> c != 1), "orders invoiced more than once");
        Map<Long, List<String>> byNumber = allInvoices.stream().collect(Collectors.groupingBy(r -> r.value().number(),
                Collectors.mapping(ConsumerRecord::key, Collectors.toList())));
        assertEquals(Map.of(), byNumber.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "invoice numbers used twice");
        // each counter handed out exactly the numbers that exist, in order
        Map<String, InvoiceCounter> counters = new HashMap<>();
        TopicRecords.readCommitted(StoredState.topic(Topics.ORDERS_INVOICES_COUNTERS)).forEach(r -> {
            counters.put(r.key(), r.value().state());
            // the deliveries view sends each order's command once, so the counters keep no ids: bounded state
            assertTrue(r.value().applied().size() == 0, "a counter kept applied ids: " + r.value());
        });
        for (InvoiceCounter c : counters.values()) {
            long issuedNumbers = byNumber.keySet().stream().filter(num -> (num - 1) % InvoiceCommand.COUNTERS == c.counter()).count();
            assertEquals(c.issued(), issuedNumbers, "counter " + c.counter() + " issued vs invoices with its numbers");
            assertEquals(InvoiceCounter.number(c.counter(), c.issued() - 1), c.lastNumber(), "counter " + c);
        }

        // inventory: stock = initial - exact sum, each order counted once per sku
        Map<String, Long> quantities = OrderPipeline.quantities(orders);
        Map<String, Long> perSku = OrderPipeline.ordersPerSku(orders);
        TopicRecords.readCommitted(StoredState.topic(Topics.ORDERS_INVENTORY_STORE)).stream().filter(r -> quantities.containsKey(r.key()))
                .forEach(r -> assertTrue(r.value().applied().size() == 0, "a stock kept applied ids: " + r.value()));
        for (var e : quantities.entrySet()) {
            JsonNode stock = get(pipeline.views.url() + "/inventory/" + e.getKey());
            assertEquals(initialStock.get(e.getKey()) - e.getValue(), stock.get("stock").asLong(), "stock of " + e.getKey());
            assertEquals(e.getValue().longValue(), stock.get("ordered").asLong(), "ordered of " + e.getKey());
            assertEquals(perSku.get(e.getKey()).longValue(), stock.get("orders").asLong(), "orders of " + e.getKey());
        }

        // the REST views agree, on either process (the checkout process reads the same store topics)
        List<String> sample = new ArrayList<>(ids);
        java.util.Collections.shuffle(sample, ThreadLocalRandom.current());
        Map<String, Long> numbers = allInvoices.stream().filter(r -> ids.contains(r.key()))
                .collect(Collectors.toMap(ConsumerRecord::key, r -> r.value().number()));
        for (String id : sample.subList(0, Math.min(10, n))) {
            for (OrderPipeline.Member m : List.of(pipeline.views, pipeline.checkout)) {
                assertEquals("SCHEDULED", awaitCustomerGet(m.url() + "/deliveries/" + id).get("status").asText());
                assertEquals(numbers.get(id).longValue(), awaitCustomerGet(m.url() + "/invoices/" + id).get("number").asLong());
            }
        }

        // nothing refused or unreadable on the views' side
        for (JsonNode store : pipeline.views.app.ops("/ops/stores").json()) {
            if (store.hasNonNull("writer")) {
                assertEquals(0, store.get("writer").get("rejected").asLong(), "rejected commands: " + store);
                assertEquals(0, store.get("writer").get("undecodable").asLong(), "undecodable commands: " + store);
            }
        }
    }

    static Set<String> ids(List<PurchaseCompleted> orders) {
        return orders.stream().map(PurchaseCompleted::orderId).collect(Collectors.toSet());
    }

    private static Map<String, Long> count(List<? extends ConsumerRecord<String, ?>> records, Set<String> ids) {
        return records.stream().map(ConsumerRecord::key).filter(ids::contains)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static Map<String, Long> only(Map<String, Long> counts, java.util.function.LongPredicate bad) {
        return counts.entrySet().stream().filter(e -> bad.test(e.getValue()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    static JsonNode get(String url) {
        Http.Response r = Http.get(url);
        assertEquals(200, r.status(), url + ": " + r.body());
        return r.json();
    }

    /**
     * An order's delivery or invoice as its customer reads it (HTTP Basic as {@link OrderPipeline#CUSTOMER}); without
     * credentials these answer 401.
     */
    static Http.Response customerGet(String url) {
        return Http.as(OrderPipeline.CUSTOMER).get(url);
    }

    /** The reading process's store may lag the store topic by a moment. */
    private static JsonNode awaitCustomerGet(String url) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> customerGet(url).status() == 200);
        Http.Response r = customerGet(url);
        assertEquals(200, r.status(), url + ": " + r.body());
        return r.json();
    }

    /** Keys of every record of a topic as stored, with the given isolation level (aborted records too when uncommitted). */
    static List<String> keys(String topic, String isolation) {
        return TopicRecords.raw(topic, isolation).stream().map(ConsumerRecord::key).toList();
    }

    static Set<String> keySet(String topic, String isolation) {
        return new HashSet<>(keys(topic, isolation));
    }
}
