package dev.edapatterns.e2e;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;

import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.testing.InFlight;

/**
 * Waits until the apps under test have nothing left to do ({@link InFlight#caughtUp}): the moment after which "nothing
 * more happens" can be asserted, reached as soon as it is true rather than after a guessed settle time.
 */
final class CaughtUp {

    private CaughtUp() {
    }

    static void await(KafkaClients kafka, List<String> groups) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                .until(() -> InFlight.caughtUp(kafka, groups));
    }
}
