package dev.edapatterns.order.readmodel;

import java.util.HashMap;
import java.util.Map;

import dev.edapatterns.eventkit.testing.PostgresTestResource;

/**
 * A fresh database on the test JVM's real PostgreSQL (event-kit-testing) with the read model switched on. Only the
 * classes that read it use this resource, so the other tests start no database; all of them share one app start
 * (same resources), and each class keeps its rows apart by unique keys.
 */
public class ReadModelTestResource extends PostgresTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("order.read-model.enabled", "true");
        return config;
    }
}
