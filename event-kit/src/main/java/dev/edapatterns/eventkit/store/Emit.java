package dev.edapatterns.eventkit.store;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.edapatterns.contracts.Topic;

/** A record a reducer asks to publish, e.g. "import completed"; written in the state's transaction. */
public record Emit<K, V>(Topic<K, V> topic, K key, V value) {

    ProducerRecord<byte[], byte[]> toRecord() {
        RecordHeaders headers = new RecordHeaders();
        byte[] k = topic.keySerializer().serialize(topic.name(), headers, key);
        byte[] v = topic.valueSerializer().serialize(topic.name(), headers, value);
        return new ProducerRecord<>(topic.name(), null, k, v, headers);
    }
}
