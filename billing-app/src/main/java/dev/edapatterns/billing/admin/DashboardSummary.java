package dev.edapatterns.billing.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import dev.edapatterns.billing.BillingConfig;

import dev.edapatterns.billing.ledger.LedgerConsumer;
import dev.edapatterns.billing.provider.ProviderCall;
import dev.edapatterns.billing.provider.SimulatedPaymentProvider;
import dev.edapatterns.billing.renewals.DueDates;
import dev.edapatterns.billing.renewals.RenewalRetryTopology;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.store.CompactedStore;

/**
 * The dashboard's counters, computed from what exists: due subscriptions (the store, as the scheduler sees them),
 * charges (the simulated provider's call log), retrying renewals (the renewal group's lag on each retry topic, via
 * the Admin API), dead letters (the DLQ topic's size) and blocked ledger users.
 */
@Singleton
public class DashboardSummary {

    public record Summary(Instant at, int due, long charged, long retrying, Map<String, Long> retryLags, long deadLettered,
            int blocked) {
    }

    private final CompactedStore<String, Subscription> subscriptions;
    private final DueDates dueDates;
    private final Clock clock;
    private final SimulatedPaymentProvider provider;
    private final RenewalRetryTopology retry;
    private final LedgerConsumer ledger;
    private final Admin admin;
    private final String renewalsGroup;

    DashboardSummary(CompactedStore<String, Subscription> subscriptions, DueDates dueDates, Clock clock,
            SimulatedPaymentProvider provider, RenewalRetryTopology retry, LedgerConsumer ledger, KafkaClients clients,
            BillingConfig config) {
        this.subscriptions = subscriptions;
        this.dueDates = dueDates;
        this.clock = clock;
        this.provider = provider;
        this.retry = retry;
        this.ledger = ledger;
        this.admin = Admin.create(clients.admin());
        this.renewalsGroup = config.renewals().processor().groupId();
    }

    public Summary summary() throws InterruptedException, ExecutionException, TimeoutException {
        Instant now = clock.instant();
        int due = (int) subscriptions.values().stream().filter(dueDates.renewableAt(now)).count();
        long charged = provider.calls().stream().filter(c -> c.outcome() == ProviderCall.Outcome.CHARGED).count();
        Map<String, Long> lags = retryLags();
        long retrying = lags.values().stream().mapToLong(Long::longValue).sum();
        long dead = size(retry.topology().deadLetterTopic());
        int blocked = ledger.blocked().size();
        return new Summary(now, due, charged, retrying, lags, dead, blocked);
    }

    /** Per retry topic: records the renewal group has not consumed yet (waiting out their delay or being retried). */
    private Map<String, Long> retryLags() throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicPartition> partitions = partitions(retry.topology().retryTopics());
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(renewalsGroup)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> ends = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, ListOffsetsResultInfo> starts = offsets(partitions, OffsetSpec.earliest());
        Map<String, Long> lags = new LinkedHashMap<>();
        retry.topology().retryTopics().forEach(t -> lags.put(t, 0L));
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata done = committed.get(tp);
            long from = done == null ? starts.get(tp).offset() : done.offset();
            lags.merge(tp.topic(), Math.max(0, ends.get(tp).offset() - from), Long::sum);
        }
        return lags;
    }

    private long size(String topic) throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicPartition> partitions = partitions(List.of(topic));
        Map<TopicPartition, ListOffsetsResultInfo> ends = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, ListOffsetsResultInfo> starts = offsets(partitions, OffsetSpec.earliest());
        return partitions.stream().mapToLong(tp -> ends.get(tp).offset() - starts.get(tp).offset()).sum();
    }

    private List<TopicPartition> partitions(List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicPartition> out = new ArrayList<>();
        admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, d) -> d.partitions()
                .forEach(p -> out.add(new TopicPartition(name, p.partition()))));
        return out;
    }

    private Map<TopicPartition, ListOffsetsResultInfo> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        return admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
    }

    @jakarta.annotation.PreDestroy
    void close() {
        admin.close();
    }
}
