package dev.edapatterns.order.countries;

import java.util.Objects;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.order.OrderConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Writes countries to {@code reference.countries} (channel {@code countries-out}: acks=all, idempotent) and
 * completes only once (1) the broker acknowledged the record and (2) this instance's store applied it, so a GET
 * right after the answer reads the write (read-your-writes). The topic stays the single source of truth: the
 * store learns of the write like every other reader does, from the topic.
 */
@Singleton
public class CountryPublisher {

    private static final Logger LOG = Logger.getLogger(CountryPublisher.class);

    private final Emitter<Record<String, Country>> emitter;
    private final CompactedStore<String, Country> store;
    private final CountriesConfig config;

    CountryPublisher(@Channel("countries-out") Emitter<Record<String, Country>> emitter,
            CompactedStore<String, Country> store, OrderConfig config) {
        this.emitter = emitter;
        this.store = store;
        this.config = config.countries();
    }

    public Uni<Void> upsert(Country country) {
        return write(Record.of(country.code(), country));
    }

    /** A tombstone: compaction eventually drops the key, every store deletes it at once. */
    public Uni<Void> delete(String code) {
        return write(Record.of(code, null));
    }

    private Uni<Void> write(Record<String, Country> record) {
        return Uni.createFrom().completionStage(() -> emitter.send(record))
                .ifNoItem().after(config.ackTimeout()).fail()
                .onFailure().transform(e -> {
                    LOG.errorf(e, "Write of country %s not acknowledged", record.key());
                    // a timed-out send may still land: say so, and that repeating the request is safe
                    return new ProblemException(503, "Service Unavailable", "Kafka did not confirm the change of "
                            + record.key() + "; it may or may not have been stored. Repeating the request is safe.");
                })
                // read-your-writes: this instance's store shows the written value (or the key gone, for a tombstone)
                .chain(() -> Uni.createFrom().completionStage(() -> store.whenVisible(record.key(),
                        v -> Objects.equals(v, record.value()))).replaceWithVoid()
                        .ifNoItem().after(config.readYourWritesTimeout()).fail()
                        .onFailure().recoverWithItem(e -> {
                            // the write is durable; only this instance's view lags, so the answer stays a success
                            LOG.warnf("Country %s stored, but the store did not catch up within %s: %s", record.key(),
                                    config.readYourWritesTimeout(), e.toString());
                            return null;
                        }));
    }
}
