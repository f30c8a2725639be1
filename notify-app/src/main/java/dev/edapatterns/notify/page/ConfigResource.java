package dev.edapatterns.notify.page;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.edapatterns.notify.NotifyConfig;
import dev.edapatterns.notify.progress.ProgressSocket;

/** {@code GET /config.json}: what the progress page needs to know, i.e. where import-app is; for the page's users. */
@Path("/config.json")
public class ConfigResource {

    private final NotifyConfig config;

    ConfigResource(NotifyConfig config) {
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ ProgressSocket.IMPORTER_ROLE, ProgressSocket.ADMIN_ROLE })
    public PageConfig get() {
        return new PageConfig(config.page().importUrl());
    }

    public record PageConfig(String importUrl) {
    }
}
