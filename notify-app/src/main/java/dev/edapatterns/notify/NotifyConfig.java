package dev.edapatterns.notify;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code notify.*} setting in application.properties, one group per feature. */
@ConfigMapping(prefix = "notify")
public interface NotifyConfig {

    History history();

    Ws ws();

    Page page();

    interface History {
        /** How long progress events are kept for {@code ?after=} resumes; also how far back the feed replays at start. */
        @WithDefault("1h")
        Duration ttl();

        /** Retained events per channel; the oldest are dropped first. */
        @WithDefault("1000")
        int maxPerChannel();

        /** Retained events over all channels, oldest dropped first: the history's heap bound (~500 bytes each). */
        @WithDefault("500000")
        long maxEvents();

        /**
         * Retained events one new connection is sent at most (the newest after its {@code after}): what bounds the
         * work of a resume, taken from the history under the hub's lock.
         */
        @WithDefault("1000")
        int maxReplay();
    }

    interface Ws {
        /** Sends not yet completed per connection before it is closed as a slow consumer (1013). */
        @WithDefault("256")
        int maxPending();

        /** Frames not yet written over all connections before the feed stops polling (for up to 500 ms a poll). */
        @WithDefault("50000")
        long maxPendingTotal();

        /** Open connections per instance; one more is closed at once with 1013 (try again later, or elsewhere). */
        @WithDefault("20000")
        int maxConnections();

        /** Open connections per user on one instance; one more is closed at once with 1008. */
        @WithDefault("1000")
        int maxConnectionsPerUser();

        /** Characters of a channel token; a longer one, or one with other than base64url and '.', is refused (1008). */
        @WithDefault("1024")
        int maxTokenLength();
    }

    interface Page {
        /** Base URL of import-app as the browser reaches it (the page POSTs files there). */
        @WithDefault("http://localhost:8081")
        String importUrl();
    }
}
