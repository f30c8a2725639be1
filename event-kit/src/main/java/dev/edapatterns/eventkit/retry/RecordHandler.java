package dev.edapatterns.eventkit.retry;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Applies one record; returning normally means done (its offset may be committed). Throwing means "not done": the
 * record blocks its partition and is attempted again after the backoff ({@link PermanentFailure}: only when an
 * operator says so). Handlers hold no retry loop. Called on the consumer's thread, one record at a time, so it must
 * be idempotent (a record can come again after a crash or a rebalance) and bounded in time.
 */
@FunctionalInterface
public interface RecordHandler<K, V> {

    void handle(ConsumerRecord<K, V> record) throws Exception;
}
