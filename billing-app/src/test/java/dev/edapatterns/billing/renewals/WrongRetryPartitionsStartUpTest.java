package dev.edapatterns.billing.renewals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * The whole app is started against a broker where one of its retry topics has 3 partitions instead of its source's 6:
 * start-up fails and says which topic. (The production delays' topics, unused by the other tests of this JVM.)
 */
@QuarkusMainTest
@WithTestResource(KafkaBrokerTestResource.class)
@TestProfile(WrongRetryPartitionsStartUpTest.ProductionRetryTopics.class)
class WrongRetryPartitionsStartUpTest {

    static final String WRONG = "billing.renewals_retry_30000";

    public static class ProductionRetryTopics implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("eventkit.topics", "reference.countries,reference.timezones,billing.subscriptions,billing.renewals,"
                    + "billing.renewals_retry_5000,billing.renewals_retry_30000,billing.renewals_retry_300000,billing.renewals.dlq,"
                    + "billing.charges,billing.charge-claims,billing.charge-claims.store,billing.ledger,billing.ledger.skips",
                    "billing.renewals.retry.topics",
                    "billing.renewals_retry_5000,billing.renewals_retry_30000,billing.renewals_retry_300000",
                    "billing.renewals.retry.timeout", "10m");
        }
    }

    @BeforeAll
    static void wronglyPartitionedRetryTopic() throws Exception {
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            admin.createTopics(List.of(new NewTopic(WRONG, Optional.of(3), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void startUpFailsNamingTheTopic(LaunchResult result) {
        assertEquals(1, result.exitCode());
        String output = result.getOutput() + result.getErrorOutput();
        assertTrue(output.contains("topic '" + WRONG + "' has 3 partitions"), output);
    }
}
