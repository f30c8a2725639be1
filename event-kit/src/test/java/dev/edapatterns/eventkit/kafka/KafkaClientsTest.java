package dev.edapatterns.eventkit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class KafkaClientsTest {

    /** A base as Quarkus' kafka.* gives it: common, consumer-only, producer-only and unknown keys mixed. */
    private static final Map<String, Object> BASE = Map.of(
            "bootstrap.servers", "b1:9092,b2:9092",
            "security.protocol", "SSL",
            "group.id", "inherited-group",
            "enable.auto.commit", "true",
            "max.poll.records", "10",
            "acks", "1",
            "enable.idempotence", "false",
            "linger.ms", "5",
            "transactional.id", "tx-1",
            "some.app.setting", "x");

    private final KafkaClients clients = new KafkaClients(BASE);

    @Test
    void aBaseWithoutBootstrapServersIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KafkaClients(Map.of("acks", "all")));
        assertTrue(e.getMessage().contains("kafka.bootstrap.servers"), e.getMessage());
        assertEquals("b:1", KafkaClients.of("b:1").bootstrapServers());
    }

    @Test
    void consumersGetTheirOwnKeysNoInheritedGroupAndCommitOnlyAfterProcessing() {
        assertEquals(Map.of("bootstrap.servers", "b1:9092,b2:9092", "security.protocol", "SSL", "max.poll.records", "10",
                "enable.auto.commit", false, "auto.offset.reset", "earliest"), clients.consumer(Map.of()));
    }

    @Test
    void consumerOverridesWinOverTheDefaults() {
        Map<String, Object> p = clients.consumer(Map.of("group.id", "chosen", "enable.auto.commit", true, "auto.offset.reset", "latest"));
        assertEquals("chosen", p.get("group.id"));
        assertEquals(true, p.get("enable.auto.commit"));
        assertEquals("latest", p.get("auto.offset.reset"));
    }

    @Test
    void producersAreDurableAndIdempotentWhateverTheBaseSaysAndNeverInheritATransactionalId() {
        assertEquals(Map.of("bootstrap.servers", "b1:9092,b2:9092", "security.protocol", "SSL", "linger.ms", "5", "acks", "all",
                "enable.idempotence", true), clients.producer(Map.of()));
        Map<String, Object> p = clients.producer(Map.of("acks", "1", "transactional.id", "mine"));
        assertEquals("1", p.get("acks"), "only an explicit override weakens acks");
        assertEquals("mine", p.get("transactional.id"));
    }

    @Test
    void transactionalProducersRetryAConcurrentTransactionSoonUnlessTheAppSaysOtherwise() {
        Map<String, Object> p = clients.transactionalProducer("tx-2", Map.of("linger.ms", 0));
        assertEquals("tx-2", p.get("transactional.id"));
        assertEquals(KafkaClients.TRANSACTION_RETRY_BACKOFF_MS, p.get("retry.backoff.ms"));
        assertEquals(0, p.get("linger.ms"));
        assertEquals("all", p.get("acks"));
        assertEquals("250", clients.with(Map.of("retry.backoff.ms", "250")).transactionalProducer("tx-3", Map.of())
                .get("retry.backoff.ms"), "kafka.retry.backoff.ms wins");
        assertNull(clients.producer(Map.of()).get("retry.backoff.ms"), "plain producers keep the client's default");
    }

    @Test
    void adminClientsGetOnlyAdminKeys() {
        assertEquals(Map.of("bootstrap.servers", "b1:9092,b2:9092", "security.protocol", "SSL"), clients.admin());
    }

    @Test
    void withMergesIntoACopyAndTheBaseIsCopiedOnConstruction() {
        Map<String, Object> mutable = new HashMap<>(Map.of("bootstrap.servers", "b:1"));
        KafkaClients original = new KafkaClients(mutable);
        mutable.put("bootstrap.servers", "changed:1");
        assertEquals("b:1", original.bootstrapServers());

        KafkaClients merged = original.with(Map.of("bootstrap.servers", "c:1", "request.timeout.ms", "1000"));
        assertEquals("c:1", merged.bootstrapServers());
        assertEquals("1000", merged.get("request.timeout.ms"));
        assertEquals("b:1", original.bootstrapServers());
        assertNull(original.get("request.timeout.ms"));
    }
}
