package dev.edapatterns.importapp.importer;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** DOWN when an importer worker stopped on a failure it does not retry: a restart is the cure. */
@Liveness
@Singleton
class ImporterLiveness implements HealthCheck {

    private final JobImporter importer;

    ImporterLiveness(JobImporter importer) {
        this.importer = importer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("importer").status(importer.isAlive()).build();
    }
}
