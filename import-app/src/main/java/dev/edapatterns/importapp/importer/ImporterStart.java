package dev.edapatterns.importapp.importer;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.edapatterns.importapp.reference.CountryZones;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;

/**
 * The {@code jobs} channel starts paused, without even joining the importer group (pausable, late subscription:
 * see application.properties): a job imported before the time zones are loaded would store contacts without
 * their zone. It is resumed once {@link CountryZones} has replayed {@code reference.timezones}.
 */
@Singleton
class ImporterStart {

    private static final Logger LOG = Logger.getLogger(ImporterStart.class);
    static final String JOBS = "jobs";

    void onStart(@Observes StartupEvent event, CountryZones zones, ChannelRegistry channels) {
        zones.loaded().thenRun(() -> {
            LOG.info("Time zones loaded: the importer starts consuming import.jobs");
            channels.getPausable(JOBS).resume();
        });
    }
}
