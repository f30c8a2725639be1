package dev.edapatterns.order.security;

import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.eventkit.testing.AccessMatrix;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.order.readmodel.ReadModelTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every operation of order-app answers anonymous, wrong role, other customer and owner as docs/SECURITY.md says. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(ReadModelTestResource.class)
class AccessMatrixTest {

    @Test
    void everyOperationAnswersAsTheSecurityTableSays() throws Exception {
        // GET /customers/{email}'s example (alice) exists once import-app's record of her is projected
        Contact alice = new Contact("alice@example.com", "Alice", "FR", null, "Europe/Paris", "access-matrix", Instant.now());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.IMPORT_CONTACTS.name(), alice.email(),
                    Topics.IMPORT_CONTACTS.valueSerializer().serialize(Topics.IMPORT_CONTACTS.name(), alice))).get();
        }
        AccessMatrix.of("order-app").verify();
    }
}
