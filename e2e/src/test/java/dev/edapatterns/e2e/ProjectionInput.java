package dev.edapatterns.e2e;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.contracts.orders.Delivery;
import dev.edapatterns.contracts.orders.Invoice;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.kafka.TopicPartitions;
import dev.edapatterns.eventkit.store.StoredState;

/**
 * The read model's input as its writers commit it (transactional producer, same topics, keys and serializers):
 * contacts on {@code import.contacts} (upserts of a fixed set of emails, some tombstones) and orders as the views
 * store them ({@code orders.deliveries.store}, {@code orders.invoices}). Every record is kept with the offset the
 * broker gave it, so the tables any prefix of the topics folds to can be computed: the state the read model must
 * show once its stored offsets are at that prefix, neither behind nor ahead.
 */
final class ProjectionInput implements AutoCloseable {

    static final String CONTACTS = Topics.IMPORT_CONTACTS.name();
    static final String DELIVERIES = Topics.ORDERS_DELIVERIES_STORE.name();
    static final String INVOICES = Topics.ORDERS_INVOICES.name();
    /** The topics each projection reads (order-app's ProjectionKind). */
    static final Map<String, List<String>> PROJECTIONS = Map.of("customers", List.of(CONTACTS),
            "order-history", List.of(DELIVERIES, INVOICES));

    private static final List<String> COUNTRIES = List.of("FR", "DE", "US", "JP", "BR");
    private static final List<String> PRICES = List.of("1.50", "2.25", "10.00", "0.99");
    private static final Topic<String, StoredState<Delivery>> DELIVERY_STATES = StoredState.topic(Topics.ORDERS_DELIVERIES_STORE);

    /** One committed record: value a {@link Contact}, {@link Delivery}, {@link Invoice}, or null (a tombstone). */
    record Written(TopicPartition partition, long offset, String key, Object value) {
    }

    /** One order_history row; items as "sku x qty @ price" and amounts without trailing zeros, to compare as values. */
    record OrderRow(String customerId, Instant checkedOutAt, List<String> items, BigDecimal itemsTotal,
            String deliveryStatus, Long invoiceNumber, String currency, BigDecimal invoiceTotal) {

        static List<String> items(List<OrderItem> items) {
            return items.stream().map(i -> i.sku() + " x " + i.qty() + " @ " + i.unitPrice().stripTrailingZeros().toPlainString())
                    .toList();
        }

        static BigDecimal amount(BigDecimal amount) {
            return amount == null ? null : amount.stripTrailingZeros();
        }
    }

    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final List<String> emails;
    private final Random random = new Random();
    private final Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final List<Written> written = new ArrayList<>();
    private int sequence;
    private int orders;

    /** {@code customers} distinct emails: the keys every round's contacts are spread over. */
    ProjectionInput(KafkaClients kafka, int customers) {
        this.producer = new KafkaProducer<>(kafka.producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "projection-crash-test-" + UUID.randomUUID(),
                ProducerConfig.LINGER_MS_CONFIG, 5)), new StringSerializer(), new ByteArraySerializer());
        this.producer.initTransactions();
        this.admin = Admin.create(kafka.admin());
        this.emails = IntStream.range(0, customers).mapToObj(i -> "c" + i + "@crash.example").toList();
    }

    /**
     * Commits {@code contacts} contact records (each an upsert of a random email with values seen nowhere else, one in
     * ten a tombstone) and {@code orderCount} new orders (a delivery state and an invoice each), in transactions of at
     * most {@code perTransaction} records.
     */
    void round(int contacts, int orderCount, int perTransaction) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < contacts; i++) {
            String email = emails.get(random.nextInt(emails.size()));
            int n = ++sequence;
            Contact contact = random.nextInt(10) == 0 ? null : new Contact(email, "Name " + n,
                    COUNTRIES.get(n % COUNTRIES.size()), "+33 1 00 " + n, "Europe/Paris", "crash-" + n, base.plusMillis(n));
            records.add(record(Topics.IMPORT_CONTACTS, email, contact));
            values.add(contact);
        }
        for (int i = 0; i < orderCount; i++) {
            int n = ++orders;
            String orderId = "crash-order-" + n;
            String customer = emails.get(random.nextInt(emails.size()));
            List<OrderItem> items = new ArrayList<>();
            BigDecimal total = BigDecimal.ZERO;
            for (int l = 0, lines = 1 + random.nextInt(3); l < lines; l++) {
                OrderItem item = new OrderItem("sku-" + random.nextInt(20), 1 + random.nextInt(3),
                        new BigDecimal(PRICES.get(random.nextInt(PRICES.size()))));
                items.add(item);
                total = total.add(item.unitPrice().multiply(BigDecimal.valueOf(item.qty())));
            }
            Instant at = base.plusSeconds(n);
            Delivery delivery = new Delivery(orderId, customer, "FR", items, Delivery.Status.SCHEDULED, at);
            Invoice invoice = new Invoice(n, orderId, customer, "EUR", total, at);
            records.add(record(DELIVERY_STATES, orderId, new StoredState<>(1, delivery, List.of("cmd-" + orderId), Map.of())));
            values.add(delivery);
            records.add(record(Topics.ORDERS_INVOICES, orderId, invoice));
            values.add(invoice);
        }
        for (int from = 0; from < records.size(); from += perTransaction) {
            int to = Math.min(records.size(), from + perTransaction);
            commit(records.subList(from, to), values.subList(from, to));
        }
    }

    private static <V> ProducerRecord<String, byte[]> record(Topic<String, V> topic, String key, V value) {
        return new ProducerRecord<>(topic.name(), key, value == null ? null : topic.valueSerializer().serialize(topic.name(), value));
    }

    private void commit(List<ProducerRecord<String, byte[]>> records, List<Object> values) {
        producer.beginTransaction();
        List<Future<RecordMetadata>> sent = records.stream().map(producer::send).toList();
        producer.commitTransaction(); // flushes: every send below is acknowledged
        for (int i = 0; i < sent.size(); i++) {
            try {
                RecordMetadata md = sent.get(i).get();
                written.add(new Written(new TopicPartition(md.topic(), md.partition()), md.offset(), records.get(i).key(),
                        values.get(i)));
            } catch (Exception e) {
                throw new IllegalStateException("a committed record has no metadata", e);
            }
        }
    }

    /** The customers table the contacts below {@code next} (per partition, exclusive) fold to: the last value per email. */
    Map<String, Contact> customers(Map<TopicPartition, Long> next) {
        Map<String, Contact> rows = new HashMap<>();
        for (Written w : below(next, CONTACTS)) {
            if (w.value() == null) {
                rows.remove(w.key());
            } else {
                rows.put(w.key(), (Contact) w.value());
            }
        }
        return rows;
    }

    /** The order_history table the deliveries and invoices below {@code next} fold to (each fills its own columns). */
    Map<String, OrderRow> orderHistory(Map<TopicPartition, Long> next) {
        Map<String, Delivery> deliveries = new HashMap<>();
        Map<String, Invoice> invoices = new HashMap<>();
        below(next, DELIVERIES).forEach(w -> deliveries.put(w.key(), (Delivery) w.value()));
        below(next, INVOICES).forEach(w -> invoices.put(w.key(), (Invoice) w.value()));
        Map<String, OrderRow> rows = new HashMap<>();
        Set<String> orderIds = new HashSet<>(deliveries.keySet());
        orderIds.addAll(invoices.keySet());
        for (String orderId : orderIds) {
            Delivery d = deliveries.get(orderId);
            Invoice i = invoices.get(orderId);
            rows.put(orderId, new OrderRow(d != null ? d.customerId() : i.customerId(), d != null ? d.checkedOutAt() : i.checkedOutAt(),
                    d == null ? null : OrderRow.items(d.items()),
                    d == null ? null : OrderRow.amount(d.items().stream().map(x -> x.unitPrice().multiply(BigDecimal.valueOf(x.qty())))
                            .reduce(BigDecimal.ZERO, BigDecimal::add)),
                    d == null ? null : d.status().name(), i == null ? null : i.number(), i == null ? null : i.currency(),
                    i == null ? null : OrderRow.amount(i.total())));
        }
        return rows;
    }

    /** Records of {@code topics} at or after {@code from} (per partition; absent: 0): what a projection resuming there applies. */
    long recordsFrom(Map<TopicPartition, Long> from, List<String> topics) {
        return written.stream().filter(w -> topics.contains(w.partition().topic()))
                .filter(w -> w.offset() >= from.getOrDefault(w.partition(), 0L)).count();
    }

    /** The topics' end offsets as a read_committed consumer reaches them (past the last commit marker). */
    Map<TopicPartition, Long> ends(List<String> topics) {
        try {
            return TopicPartitions.committedEnds(admin, topics, Duration.ofSeconds(30));
        } catch (Exception e) {
            throw new IllegalStateException("end offsets of " + topics + " not read", e);
        }
    }

    private List<Written> below(Map<TopicPartition, Long> next, String topic) {
        return written.stream().filter(w -> w.partition().topic().equals(topic))
                .filter(w -> w.offset() < next.getOrDefault(w.partition(), 0L)).toList(); // in offset order per partition
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
