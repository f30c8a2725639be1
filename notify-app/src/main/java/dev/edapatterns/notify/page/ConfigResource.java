package dev.edapatterns.notify.page;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.edapatterns.notify.NotifyConfig;

/** {@code GET /config.json}: what the progress page needs to know, i.e. where import-app is. */
@Path("/config.json")
public class ConfigResource {

    private final NotifyConfig config;

    ConfigResource(NotifyConfig config) {
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public PageConfig get() {
        return new PageConfig(config.page().importUrl());
    }

    public record PageConfig(String importUrl) {
    }
}
