package dev.edapatterns.eventkit;

import java.time.Duration;
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

    /** Failed logins slowed down per user and client address ({@code security.LoginThrottle}). */
    @WithName("login-throttle")
    LoginThrottleConfig loginThrottle();

    enum TopicsMode { CREATE, VERIFY }

    interface LoginThrottleConfig {

        /** Failures of one user from one address before each further attempt has to wait. */
        @WithName("free-failures")
        @WithDefault("5")
        int freeFailures();

        /** Failures from one address (any users) before it has to wait: someone trying many names. */
        @WithName("address-free-failures")
        @WithDefault("50")
        int addressFreeFailures();

        /** The first wait; each further failure doubles it. */
        @WithName("base-delay")
        @WithDefault("1s")
        Duration baseDelay();

        /** The longest wait, and how long a quiet key is remembered after its last failure. */
        @WithName("max-delay")
        @WithDefault("5m")
        Duration maxDelay();

        /** Keys remembered at most (least recently failed forgotten first): memory stays bounded under a flood. */
        @WithName("max-entries")
        @WithDefault("50000")
        int maxEntries();
    }
}
