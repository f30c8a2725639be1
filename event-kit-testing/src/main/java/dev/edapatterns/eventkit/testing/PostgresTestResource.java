package dev.edapatterns.eventkit.testing;

import java.util.Map;

import dev.edapatterns.deploy.PostgresDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * {@code @QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)} (or from a
 * {@code QuarkusTestProfile}): points the app's default datasource at a new, empty database on the test JVM's real
 * PostgreSQL ({@link TestPostgres}), which also switches the datasource's Dev Services off. Flyway migrates it from
 * empty, as on a new installation.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        PostgresDatabase db = TestPostgres.freshDatabase();
        return Map.of("quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.username(),
                "quarkus.datasource.password", db.password());
    }

    @Override
    public void stop() {
        // The server lives as long as the test JVM (other test classes use it); the database is left for inspection.
    }
}
