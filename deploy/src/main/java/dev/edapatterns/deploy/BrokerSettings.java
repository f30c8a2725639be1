package dev.edapatterns.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The one {@code server.properties} of a local single-node KRaft broker, shared by the in-JVM and the
 * own-process launcher so both behave the same.
 *
 * @param dataDir        log dir; formatted once, kept across restarts
 * @param port           PLAINTEXT listener on 127.0.0.1
 * @param controllerPort CONTROLLER listener; static quorum of this one node
 * @param overrides      extra broker properties (win over the defaults)
 */
public record BrokerSettings(Path dataDir, int port, int controllerPort, Map<String, String> overrides) {

    public BrokerSettings {
        overrides = Map.copyOf(overrides);
    }

    public BrokerSettings(Path dataDir, int port, int controllerPort) {
        this(dataDir, port, controllerPort, Map.of());
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Properties toProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.toAbsolutePath().toString());
        // Topics exist only because an app declared them (event-kit provisioning).
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "6");
        // One node: every replication factor and min ISR is 1.
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Fewer internal partitions: faster cold start, same semantics on one node.
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.num.partitions", "6");
        // No 3 s wait for more members before the first rebalance.
        p.put("group.initial.rebalance.delay.ms", "0");
        // A killed transactional producer's open transaction is aborted soon after its timeout, not ~10 s later.
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        // Compaction visible within seconds locally (stores and their tests read compacted topics).
        p.put("log.cleaner.backoff.ms", "1000");
        p.putAll(overrides);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }
}
