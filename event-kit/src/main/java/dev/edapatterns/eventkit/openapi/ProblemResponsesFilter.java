package dev.edapatterns.eventkit.openapi;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import dev.edapatterns.eventkit.errors.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Every error response of every operation is an RFC 9457 problem: resources declare only code and meaning,
 * {@code @APIResponse(responseCode = "404", description = "No such job")}, and this filter gives each 4xx/5xx response
 * without a body the {@code application/problem+json} content with the shared {@code Problem} schema (what event-kit's
 * ProblemMappers and SecurityProblemMappers answer). Runs at build time; applies to every app using event-kit.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponsesFilter implements OASFilter {

    static final String SCHEMA = "Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        boolean used = false;
        for (var item : openAPI.getPaths().getPathItems().values()) {
            if (item.getOperations() == null) {
                continue;
            }
            for (Operation operation : item.getOperations().values()) {
                used |= addProblemContent(operation);
            }
        }
        if (used) {
            if (openAPI.getComponents() == null) {
                openAPI.setComponents(OASFactory.createComponents());
            }
            openAPI.getComponents().addSchema(SCHEMA, problemSchema());
        }
    }

    private static boolean addProblemContent(Operation operation) {
        if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
            return false;
        }
        boolean used = false;
        for (Map.Entry<String, APIResponse> e : operation.getResponses().getAPIResponses().entrySet()) {
            String code = e.getKey();
            APIResponse response = e.getValue();
            boolean error = code.startsWith("4") || code.startsWith("5");
            if (error && (response.getContent() == null || response.getContent().getMediaTypes() == null
                    || response.getContent().getMediaTypes().isEmpty())) {
                Content content = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(SCHEMA)));
                response.setContent(content);
                used = true;
            }
        }
        return used;
    }

    private static Schema problemSchema() {
        return OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details; extension members (e.g. errors) may follow")
                .addProperty("type", string("URI reference identifying the problem type"))
                .addProperty("title", string("Short summary of the problem type"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).description("HTTP status"))
                .addProperty("detail", string("What went wrong with this request"))
                .addProperty("instance", string("The request path"))
                .additionalPropertiesSchema(OASFactory.createSchema())
                .addRequired("title")
                .addRequired("status");
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }
}
