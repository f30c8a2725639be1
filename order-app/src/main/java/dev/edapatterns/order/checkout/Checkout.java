package dev.edapatterns.order.checkout;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import dev.edapatterns.contracts.EventHeaders;
import dev.edapatterns.contracts.EventSerializer;
import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.CheckoutCompleted;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.order.OrderConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.PausableChannel;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Checkout (pattern 5): a consume-transform-produce in group {@code order-checkout} reading
 * {@code orders.purchase-completed} with {@code read_committed}. Each polled batch is ONE transaction: a
 * {@code orders.checkout-completed} per valid purchase, a {@code orders.purchase-completed.dlq} record (original
 * bytes and headers + cause headers) per invalid or unreadable one, and the batch's offsets. So a purchase is
 * checked out exactly once in what {@code read_committed} readers see, across crashes; a poison record never
 * stalls its partition (it goes to the DLQ and its offset commits with the batch). The views read the committed
 * checkouts: deliveries directly, inventory and invoices through the commands the deliveries view emits once per
 * order.
 *
 * <p>Values are read and written as bytes so a poison record's bytes reach the DLQ unchanged; valid values are
 * written with {@link EventSerializer} (JSON + schema-version header).
 */
@ApplicationScoped
public class Checkout {

    public static final String CHANNEL = "purchases";
    public static final String DLQ_REASON = "dlq-reason";
    public static final String DLQ_ORIGIN = "dlq-origin";

    private static final Logger LOG = Logger.getLogger(Checkout.class);

    public record Stats(long batches, long checkedOut, long deadLettered, long aborted) {
    }

    private final KafkaTransactions<Record<String, byte[]>> out;
    private final MutinyEmitter<Record<String, byte[]>> atLeastOnceOut;
    private final ChannelRegistry channels;
    private final CheckoutConfig config;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong checkedOut = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();

    /** A batch's transaction emits up to max.poll.records records before the sink drains them: buffer them all. */
    Checkout(@Channel("checkout-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
            KafkaTransactions<Record<String, byte[]>> out,
            @Channel("checkout-alo-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
            MutinyEmitter<Record<String, byte[]>> atLeastOnceOut, ChannelRegistry channels, OrderConfig config) {
        this.out = out;
        this.atLeastOnceOut = atLeastOnceOut;
        this.channels = channels;
        this.config = config.checkout();
    }

    void start(@Observes StartupEvent event) {
        PausableChannel channel = channels.getPausable(CHANNEL);
        if (channel == null || !channel.isPaused()) {
            throw new IllegalStateException("Channel " + CHANNEL + " must be pausable and start paused");
        }
        if (!config.exactlyOnce() && "ignore".equals(ConfigProvider.getConfig()
                .getOptionalValue("mp.messaging.incoming." + CHANNEL + ".commit-strategy", String.class).orElse(""))) {
            throw new IllegalStateException("order.checkout.exactly-once=false needs mp.messaging.incoming." + CHANNEL
                    + ".commit-strategy=latest: at-least-once commits the offsets after the outputs' acks");
        }
        if (config.enabled()) {
            LOG.infof("Checkout enabled (%s): consuming orders.purchase-completed",
                    config.exactlyOnce() ? "exactly once" : "AT LEAST ONCE, benchmark mode");
            channel.resume();
        } else {
            LOG.info("Checkout disabled in this process (order.checkout.enabled=false)");
        }
    }

    @Incoming(CHANNEL)
    public Uni<Void> checkout(KafkaRecordBatch<String, byte[]> batch) {
        Executor back = onThisContext();
        List<Message<Record<String, byte[]>>> outputs = new ArrayList<>();
        long[] counts = new long[2];
        for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
            transform(record, counts, outputs);
        }
        if (!config.exactlyOnce()) {
            return atLeastOnce(batch, outputs, counts);
        }
        return out.withTransaction(batch, tx -> Uni.createFrom().voidItem().emitOn(back)
                        .invoke(() -> outputs.forEach(tx::send))
                        .chain(() -> CheckoutFaults.beforeCommit(config)))
                .invoke(() -> {
                    batches.incrementAndGet();
                    checkedOut.addAndGet(counts[0]);
                    deadLettered.addAndGet(counts[1]);
                })
                .chain(() -> Uni.createFrom().completionStage(batch.ack()))
                .onFailure().recoverWithItem(e -> {
                    // aborted: the connector rewinds to the committed offsets, the batch comes again
                    aborted.incrementAndGet();
                    LOG.warnf("Checkout batch of %d purchases aborted, it will be redelivered: %s",
                            batch.getRecords().size(), e.toString());
                    return null;
                });
    }

    /**
     * Benchmark baseline only ({@code order.checkout.exactly-once=false}): the same outputs sent without a
     * transaction, the batch's offsets committed once all of them are acknowledged. A crash between the two
     * duplicates outputs; nothing is lost.
     */
    private Uni<Void> atLeastOnce(KafkaRecordBatch<String, byte[]> batch, List<Message<Record<String, byte[]>>> outputs,
            long[] counts) {
        List<Uni<Void>> acks = outputs.stream().map(atLeastOnceOut::sendMessage).toList();
        Uni<Void> sent = acks.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(acks).andFailFast().replaceWithVoid();
        return sent.invoke(() -> {
                    batches.incrementAndGet();
                    checkedOut.addAndGet(counts[0]);
                    deadLettered.addAndGet(counts[1]);
                })
                // the commit is queued to the polling thread; not waiting for it (it may sit in a poll for up to
                // poll.timeout) lets the next batch start, like any commitAsync consumer. Still at least once: the
                // offsets are only handed over after every output was acknowledged.
                .invoke(() -> batch.ack())
                .onFailure().recoverWithUni(e -> {
                    aborted.incrementAndGet();
                    LOG.warnf("At-least-once checkout batch of %d purchases failed: %s", batch.getRecords().size(), e.toString());
                    return Uni.createFrom().completionStage(batch.nack(e));
                });
    }

    /** A valid purchase becomes its checkout in the batch's transaction; an invalid one becomes a DLQ record. */
    private void transform(KafkaRecord<String, byte[]> record, long[] counts, List<Message<Record<String, byte[]>>> outputs) {
        String key = record.getKey();
        PurchaseCompleted purchase;
        try {
            purchase = Topics.ORDERS_PURCHASE_COMPLETED.valueDeserializer().deserialize(record.getTopic(),
                    record.getPayload());
        } catch (RuntimeException e) {
            counts[1]++;
            outputs.add(deadLetter(record, "unreadable: " + e.getClass().getSimpleName()));
            return;
        }
        String invalid = invalid(key, purchase);
        if (invalid != null) {
            counts[1]++;
            outputs.add(deadLetter(record, invalid));
            return;
        }
        CheckoutCompleted done = new CheckoutCompleted(purchase.orderId(), purchase.customerId(), purchase.items(),
                purchase.currency(), purchase.shippingCountry(), purchase.total(), Instant.now());
        counts[0]++;
        outputs.add(message(Topics.ORDERS_CHECKOUT_COMPLETED, key, done));
    }

    private static <V> Message<Record<String, byte[]>> message(Topic<String, V> topic, String key, V value) {
        RecordHeaders headers = new RecordHeaders();
        byte[] bytes = topic.valueSerializer().serialize(topic.name(), headers, value);
        return Message.of(Record.of(key, bytes)).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic.name()).withKey(key).withHeaders(headers).build());
    }

    /** Why a purchase cannot be checked out, null if it can. */
    static String invalid(String key, PurchaseCompleted p) {
        if (p == null) {
            return "no value";
        }
        if (key == null || !key.equals(p.orderId())) {
            return "the key is not the orderId";
        }
        if (p.customerId() == null || p.customerId().isBlank()) {
            return "no customerId";
        }
        if (p.currency() == null || p.shippingCountry() == null) {
            return "no currency or shippingCountry";
        }
        if (p.items() == null || p.items().isEmpty()) {
            return "no items";
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (OrderItem item : p.items()) {
            if (item == null || item.sku() == null || item.sku().isBlank() || item.qty() <= 0
                    || item.unitPrice() == null || item.unitPrice().signum() <= 0) {
                return "an item without sku, positive qty and positive unitPrice";
            }
            sum = sum.add(item.unitPrice().multiply(BigDecimal.valueOf(item.qty())));
        }
        if (p.total() == null || p.total().compareTo(sum) != 0) {
            return "the total is not the sum of the items";
        }
        return null;
    }

    private Message<Record<String, byte[]>> deadLetter(KafkaRecord<String, byte[]> record, String reason) {
        long offset = record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset)
                .orElse(-1L);
        String origin = record.getTopic() + "-" + record.getPartition() + "@" + offset;
        LOG.warnf("Purchase %s at %s to the DLQ: %s", record.getKey(), origin, reason);
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.getHeaders()) {
            headers.add(header);
        }
        headers.add(DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(DLQ_ORIGIN, origin.getBytes(StandardCharsets.UTF_8));
        if (headers.lastHeader(EventHeaders.SCHEMA_VERSION) == null) {
            headers.add(EventHeaders.SCHEMA_VERSION, "1".getBytes(StandardCharsets.UTF_8));
        }
        return Message.of(Record.of(record.getKey(), record.getPayload())).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withTopic(Topics.ORDERS_PURCHASE_COMPLETED_DLQ.name())
                        .withKey(record.getKey()).withHeaders(headers).build());
    }

    private static Executor onThisContext() {
        Context context = Vertx.currentContext();
        return context == null ? Runnable::run : command -> context.runOnContext(v -> command.run());
    }

    public Stats stats() {
        return new Stats(batches.get(), checkedOut.get(), deadLettered.get(), aborted.get());
    }
}
