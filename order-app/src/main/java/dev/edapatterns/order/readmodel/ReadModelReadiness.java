package dev.edapatterns.order.readmodel;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN while a projection of this release's shape is still being built (its queries answer 503 meanwhile): in a
 * rolling upgrade that changes a shape, traffic stays on the older instances until the new shape is live.
 */
@Readiness
@ApplicationScoped
public class ReadModelReadiness implements HealthCheck {

    private final ReadModel readModel;

    ReadModelReadiness(ReadModel readModel) {
        this.readModel = readModel;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("read model").up();
        if (!readModel.enabled()) {
            return response.withData("read model", "off in this process").build();
        }
        readModel.shapeStates().forEach((projection, state) -> {
            response.withData(projection, state.serves() ? "serving shape " + state.shape()
                    : "shape " + state.shape() + " not live (live: shape " + state.liveShape() + ")");
            if (!state.serves()) {
                response.down();
            }
        });
        return response.build();
    }
}
