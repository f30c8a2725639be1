package dev.edapatterns.notify.progress;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** DOWN until the {@code progress} feed has read up to the end offsets taken at start (history rebuilt). */
@Readiness
@ApplicationScoped
public class ProgressFeedReadiness implements HealthCheck {

    private final ProgressFeed feed;
    private final ProgressHub hub;

    ProgressFeedReadiness(ProgressFeed feed, ProgressHub hub) {
        this.feed = feed;
        this.hub = hub;
    }

    @Override
    public HealthCheckResponse call() {
        ProgressHub.Stats stats = hub.stats();
        return HealthCheckResponse.named("progress feed")
                .status(feed.isCaughtUp())
                .withData("state", feed.failure() != null ? "failed" : feed.isCaughtUp() ? "live" : "catching up")
                .withData("records", feed.records())
                .withData("skipped", feed.skipped())
                .withData("channels", stats.channels())
                .withData("retainedEvents", stats.retainedEvents())
                .withData("connections", stats.connections())
                .withData("slowConsumersClosed", stats.slowConsumersClosed())
                .withData("pendingFrames", stats.pendingFrames())
                .build();
    }
}
