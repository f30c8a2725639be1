package dev.edapatterns.eventkit.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.TestKafka;

/** The retry chain's start-up check against real topics on the test broker. */
class RetryTopologyTest {

    @Test
    void aRetryTopicWithOtherPartitionsThanItsSourceFailsStartUp() throws Exception {
        String source = "rt-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            admin.createTopics(List.of(topic(source, 6), topic(source + "_retry_500", 6), topic(source + "_retry_1000", 3),
                    topic(source + ".dlq", 6))).all().get(30, TimeUnit.SECONDS);

            RetryTopology wrong = new RetryTopology(source, List.of(source + "_retry_500", source + "_retry_1000"), source + ".dlq",
                    10_000);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> wrong.verify(admin));
            assertTrue(e.getMessage().contains("'" + source + "_retry_1000' has 3 partitions but its source '" + source
                    + "' has 6"), e.getMessage());

            RetryTopology right = new RetryTopology(source, List.of(source + "_retry_500"), source + ".dlq", 10_000);
            right.verify(admin);

            RetryTopology tooShort = new RetryTopology(source, List.of(source + "_retry_500"), source + ".dlq", 500);
            IllegalStateException timeout = assertThrows(IllegalStateException.class, () -> tooShort.verify(admin));
            assertTrue(timeout.getMessage().contains("must be larger than the sum of the delays 500 ms"), timeout.getMessage());
        }
    }

    @Test
    @Tag("unit") // no broker: runs in the quick loop too
    void delaysComeFromTheDigitsAfterTheLastUnderscore() {
        assertEquals(300_000, RetryTopology.delayOf("billing.renewals_retry_300000"));
        assertEquals(1_500, new RetryTopology("s", List.of("s_retry_500", "s_retry_1000"), "s.dlq", 2000).totalDelayMillis());
        assertThrows(IllegalStateException.class, () -> RetryTopology.delayOf("billing.renewals_retry"));
    }

    private static NewTopic topic(String name, int partitions) {
        return new NewTopic(name, Optional.of(partitions), Optional.empty());
    }
}
