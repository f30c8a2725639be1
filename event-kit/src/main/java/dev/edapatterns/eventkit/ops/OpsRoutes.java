package dev.edapatterns.eventkit.ops;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.vertx.http.ManagementInterface;

/** Puts every {@link OpsEndpoint} of the app on the management interface's router. */
@Singleton
public class OpsRoutes {

    void register(@Observes ManagementInterface management, Instance<OpsEndpoint> endpoints, ObjectMapper json) {
        for (OpsEndpoint endpoint : endpoints) {
            management.router().get("/ops/" + endpoint.name()).handler(routing -> {
                try {
                    routing.response().putHeader("Content-Type", "application/json")
                            .end(json.writeValueAsString(endpoint.report()));
                } catch (JsonProcessingException e) {
                    routing.fail(e);
                }
            });
        }
    }
}
