package dev.edapatterns.order.countries;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Default;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.order.OrderConfig;
import dev.edapatterns.order.countries.CountriesSeed.Outcome;
import dev.edapatterns.order.countries.CountriesSeed.Result;
import io.quarkus.runtime.StartupEvent;

/**
 * Reference data out of the box: at start, on its own thread, runs {@link CountriesSeed} until it has an answer (a
 * failure, e.g. Kafka not reachable yet, is retried after {@code order.countries.seed.retry}). Until then readiness is
 * DOWN and the countries API answers 503 as while loading: an admin's write must not race the seed. After a seed this
 * instance's store shows every seeded country before it settles; when fenced by another instance, it waits for that
 * one's marker.
 */
@Readiness
@Default // also injected by the countries resource, not only found as a health check
@Singleton
public class CountrySeeder implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(CountrySeeder.class);
    /** How long a fenced instance waits for the other one's seed before it answers anyway. */
    private static final Duration FENCED_WAIT = Duration.ofMinutes(2);

    private final CountriesConfig.Seed config;
    private final CountriesSeed seed;
    private final CompactedStore<String, Country> store;
    private volatile Result result;
    private volatile String problem;
    private volatile boolean stopped;
    private Thread thread;

    CountrySeeder(OrderConfig config, KafkaClients clients, CompactedStore<String, Country> store) {
        this.config = config.countries().seed();
        this.seed = new CountriesSeed(clients, Topics.REFERENCE_COUNTRIES.name(), Topics.REFERENCE_COUNTRIES_SEEDED.name(),
                this.config.transactionalId());
        this.store = store;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            result = new Result(Outcome.ALREADY_SEEDED, 0);
            return;
        }
        thread = new Thread(this::runUntilAnswered, "countries-seeder");
        thread.setDaemon(true);
        thread.start();
    }

    /** True once this instance knows the countries are seeded (or need no seed): writes and reads may go ahead. */
    public boolean settled() {
        return result != null;
    }

    private void runUntilAnswered() {
        while (!stopped) {
            try {
                Result r = seed.run(CountriesSeed.isoCountries());
                if (r.outcome() == Outcome.FENCED && awaitOthersSeed()) {
                    r = new Result(Outcome.ALREADY_SEEDED, 0);
                } else if (r.outcome() == Outcome.FENCED) {
                    continue; // the other one never committed (it crashed?): try again, fencing it in turn
                }
                if (r.outcome() == Outcome.SEEDED) {
                    store.caughtUp().get(FENCED_WAIT.toSeconds(), TimeUnit.SECONDS);
                }
                LOG.infof("Countries seed: %s (%d countries written)", r.outcome(), r.countries());
                result = r;
                problem = null;
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                problem = e.toString();
                LOG.warnf("Countries seed attempt failed, retried in %s: %s", config.retry(), e.toString());
                pause();
            }
        }
    }

    /** Fenced: another instance seeds. Waits for its marker without fencing it back; false if none came in time. */
    private boolean awaitOthersSeed() {
        problem = "another instance is seeding";
        long deadline = System.nanoTime() + FENCED_WAIT.toNanos();
        while (!stopped && System.nanoTime() < deadline) {
            if (seed.seeded()) {
                return true;
            }
            pause();
        }
        return false;
    }

    private void pause() {
        try {
            Thread.sleep(config.retry().toMillis()); // a retry backoff in production code, not test synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("countries seed");
        Result r = result;
        if (r == null) {
            return response.down().withData("state", problem == null ? "seeding" : "seeding: " + problem).build();
        }
        return response.up().withData("state", r.outcome().name().toLowerCase(java.util.Locale.ROOT))
                .withData("countries", r.countries()).build();
    }

    @PreDestroy
    void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
