package dev.edapatterns.importapp.importer;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.edapatterns.importapp.reference.CountryZones;
import io.quarkus.runtime.StartupEvent;

/**
 * The importer joins its group only once {@link CountryZones} has replayed {@code reference.timezones}: a job imported
 * before the time zones are loaded would store contacts without their zone.
 */
@Singleton
class ImporterStart {

    private static final Logger LOG = Logger.getLogger(ImporterStart.class);

    void onStart(@Observes StartupEvent event, CountryZones zones, JobImporter importer) {
        zones.loaded().thenRun(() -> {
            LOG.info("Time zones loaded: the importer starts consuming import.jobs");
            importer.start();
        });
    }
}
