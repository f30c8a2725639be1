package dev.edapatterns.eventkit.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * {@code @QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)} (or from a
 * {@code QuarkusTestProfile}): points the app's default datasource at a new, empty database on the test JVM's real
 * PostgreSQL ({@link TestPostgres}), which also switches the datasource's Dev Services off. Migrations start from an
 * empty database, as on a new installation.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestPostgres.freshDatabase().quarkusConfig();
    }

    @Override
    public void stop() {
        // The server lives as long as the test JVM (other test classes use it); the database is left for inspection.
    }
}
