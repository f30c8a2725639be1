package dev.edapatterns.eventkit.testing;

import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.eventkit.kafka.KafkaClients;

/**
 * The one real broker of a test JVM: started on first use on free ports with data under {@code target/}, stopped
 * when the JVM exits. Shared by {@link KafkaBrokerTestResource} (Quarkus tests) and plain JUnit tests.
 */
public final class TestKafka {

    /**
     * Client settings that keep fault tests fast: a dead member is noticed in ~6 s, a killed transactional
     * producer's open transaction is aborted after ~10 s.
     */
    public static final Map<String, String> FAST_FAILOVER = Map.of(
            "session.timeout.ms", "6000",
            "heartbeat.interval.ms", "1000",
            "transaction.timeout.ms", "10000");

    // Strong references: JUL keeps loggers weakly, a collected logger would forget its level.
    private static final Logger[] QUIET = {
            Logger.getLogger("kafka"), Logger.getLogger("org.apache.kafka"), Logger.getLogger("state.change.logger") };

    private static KafkaBroker broker;

    private TestKafka() {
    }

    /** Set once the broker runs: Quarkus tests load this class in another class loader, the JVM has one broker. */
    private static final String SHARED = "edapatterns.test-broker.bootstrap";

    public static synchronized String bootstrapServers() {
        String shared = System.getProperty(SHARED);
        if (shared != null) {
            return shared;
        }
        if (broker == null) {
            for (Logger logger : QUIET) {
                logger.setLevel(Level.WARNING);
            }
            broker = KafkaBroker.startOnFreePorts(Path.of("target"), Map.of());
            KafkaBroker started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-kafka-shutdown"));
            System.setProperty(SHARED, broker.bootstrapServers());
        }
        return broker.bootstrapServers();
    }

    /** Clients for the test broker with {@link #FAST_FAILOVER}. */
    public static KafkaClients clients() {
        return KafkaClients.of(bootstrapServers()).with(FAST_FAILOVER);
    }
}
