package dev.edapatterns.order.readmodel;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.contracts.orders.Delivery;
import dev.edapatterns.contracts.orders.Invoice;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.eventkit.store.StoredState;
import dev.edapatterns.eventkit.testing.TestKafka;

/** Writes the read model's input records as their writers do (same topics, keys and serializers). */
final class ReadModelRecords {

    private static final KafkaProducer<String, byte[]> PRODUCER = new KafkaProducer<>(
            TestKafka.clients().producer(Map.of()), new StringSerializer(), new ByteArraySerializer());

    private ReadModelRecords() {
    }

    static void contact(String email, String name, String country) {
        send(Topics.IMPORT_CONTACTS, Contact.normalizeEmail(email),
                new Contact(email, name, country, "+33 1 23 45 67 89", "Europe/Paris", "import-test", Instant.now()));
    }

    static void deleteContact(String email) {
        raw(Topics.IMPORT_CONTACTS.name(), Contact.normalizeEmail(email), null);
    }

    static void delivery(String orderId, String customer, Instant checkedOutAt, List<OrderItem> items) {
        Topic<String, StoredState<Delivery>> store = StoredState.topic(Topics.ORDERS_DELIVERIES_STORE);
        Delivery d = new Delivery(orderId, customer, "FR", items, Delivery.Status.SCHEDULED, checkedOutAt);
        send(store, orderId, new StoredState<>(1, d, List.of("cmd-" + orderId), Map.of()));
    }

    static void invoice(long number, String orderId, String customer, String currency, String total, Instant checkedOutAt) {
        send(Topics.ORDERS_INVOICES, orderId, new Invoice(number, orderId, customer, currency, new BigDecimal(total), checkedOutAt));
    }

    static <V> void send(Topic<String, V> topic, String key, V value) {
        raw(topic.name(), key, topic.valueSerializer().serialize(topic.name(), value));
    }

    static void raw(String topic, String key, byte[] value) {
        try {
            PRODUCER.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("send to " + topic + " failed", e);
        }
    }
}
