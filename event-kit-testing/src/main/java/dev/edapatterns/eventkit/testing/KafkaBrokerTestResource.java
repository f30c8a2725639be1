package dev.edapatterns.eventkit.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * {@code @QuarkusTestResource(KafkaBrokerTestResource.class)}: points the app at the test JVM's real broker
 * ({@link TestKafka}) — which also switches Dev Services off — with the fast-failover client settings.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        TestKafka.FAST_FAILOVER.forEach((k, v) -> config.put("kafka." + k, v));
        return config;
    }

    @Override
    public void stop() {
        // The broker lives as long as the test JVM: other test classes (and restarted apps) use it too.
    }
}
