package dev.edapatterns.eventkit;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Configuration of the event-kit in an app's {@code application.properties}:
 *
 * <pre>
 * eventkit.topics=import.jobs,progress        # every topic the app produces or consumes (names from contracts)
 * %prod.eventkit.topics-mode=verify           # Kubernetes creates topics there; the app only checks them
 * eventkit.instance-id=${HOSTNAME:local}      # stable per process: transactional.id and group.instance.id
 * </pre>
 */
@ConfigMapping(prefix = "eventkit")
public interface EventKitConfig {

    /** Names of the topics (declared in contracts) this app produces or consumes. */
    Optional<List<String>> topics();

    /** {@code create}: create missing topics, then verify all; {@code verify}: only verify. */
    @WithName("topics-mode")
    @WithDefault("create")
    TopicsMode topicsMode();

    /** Replication factor for topics this app creates; the broker default when absent. */
    @WithName("topics-replication-factor")
    Optional<Short> topicsReplicationFactor();

    /**
     * Stable identity of this process across restarts: part of every {@code transactional.id} (so a restarted
     * process fences its zombie) and the {@code group.instance.id} of transactional consumers.
     */
    @WithName("instance-id")
    @WithDefault("${HOSTNAME:local}")
    String instanceId();

    enum TopicsMode { CREATE, VERIFY }
}
