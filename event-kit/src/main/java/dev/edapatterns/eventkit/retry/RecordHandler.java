package dev.edapatterns.eventkit.retry;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Applies one record; returning normally means done (its offset may be committed once every earlier one is). Throwing
 * means "not done": with a retry policy the record holds its key and is attempted again after the backoff
 * ({@link PermanentFailure}: only when an operator says so). Handlers hold no retry loop. One key's records come one
 * at a time; a handler must be idempotent (a record can come again after a crash or a rebalance) and bounded in time.
 */
@FunctionalInterface
public interface RecordHandler<K, V> {

    void handle(ConsumerRecord<K, V> record) throws Exception;
}
