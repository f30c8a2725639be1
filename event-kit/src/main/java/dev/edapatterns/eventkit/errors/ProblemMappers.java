package dev.edapatterns.eventkit.errors;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.edapatterns.eventkit.requests.NumberParameters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * The one error mapping of every app: each failure becomes an RFC 9457 {@code application/problem+json}
 * response. Details are written for clients; stack traces and class names stay in the server log.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.toProblem(path(uri)));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        if (e.getCause() instanceof ProblemException parameter) { // a parameter converter's refusal (NumberParameters)
            return problem(parameter, uri);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        int code = status.getStatusCode();
        if (code >= 500) {
            return unexpected(e, uri);
        }
        String detail = switch (code) {
            case 404 -> "There is no resource at this path.";
            case 405 -> "This method is not allowed on this resource.";
            case 406 -> "None of the accepted media types can be produced.";
            case 415 -> "This content type is not supported here.";
            default -> status.getReasonPhrase() + ".";
        };
        return respond(new Problem("about:blank", status.getReasonPhrase(), code, detail, path(uri), null));
    }

    /** More specific than Quarkus' built-in mapper of the same type, which answers plain JSON. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        String detail;
        if (e instanceof StreamConstraintsException) {
            detail = "The request body is past a reader limit (numbers of at most 100 characters, strings of at most "
                    + "1 MiB, nesting of at most 32 levels).";
        } else if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            detail = "Field '" + Echo.clip(field) + "' has a value of the wrong type or format.";
        } else {
            JsonLocation at = e.getLocation();
            detail = "The request body is not valid JSON" + (at == null ? "." : " (line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ").");
        }
        return respond(new Problem(ProblemTypes.MALFORMED_BODY, "Bad Request", 400, detail, path(uri), null));
    }

    /**
     * Bean Validation of request bodies and parameters: one 400 listing every violation as {@code {field, message}},
     * the field being the JSON path in the body ({@code items[0].unitPrice}) or the parameter's name. A violated
     * constraint on what a resource returns is a bug, not the client's fault.
     */
    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, UriInfo uri, ResourceInfo resource) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            String field = field(v.getPropertyPath(), resource);
            if (field == null) {
                return unexpected(e, uri);
            }
            errors.add(new FieldError(field, v.getMessage()));
        }
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
        String detail = "The request is invalid: " + errors.stream().map(f -> f.field() + ": " + f.message())
                .collect(Collectors.joining("; ")) + ".";
        return respond(new Problem(ProblemTypes.INVALID_REQUEST, "Bad Request", 400, detail, path(uri),
                java.util.Map.of("errors", errors)));
    }

    /** The client's name of a violated element, or {@code null} for a return value. */
    static String field(Path path, ResourceInfo resource) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return null;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = parameterName(resource, node.as(Path.ParameterNode.class).getParameterIndex());
                continue;
            }
            if (node.getKind() != ElementKind.PROPERTY && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                continue; // the method and its class: not something the client sent
            }
            if (node.isInIterable()) { // the node is an element of its parent: lines[1].price, not lines.price[1]
                field.append('[').append(node.getIndex() != null ? String.valueOf(node.getIndex())
                        : Echo.clip(String.valueOf(node.getKey()))).append(']');
            }
            if (node.getName() != null && !node.getName().startsWith("<")) {
                field.append(field.isEmpty() ? "" : ".").append(node.getName());
            }
        }
        if (!field.isEmpty()) {
            return field.toString().replace(".[", "[");
        }
        return parameter == null ? "body" : parameter;
    }

    private static String parameterName(ResourceInfo resource, int index) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null || index >= method.getParameterCount()) {
            return null;
        }
        Annotation[] annotations = method.getParameterAnnotations()[index];
        String name = NumberParameters.nameOf(annotations);
        return "parameter".equals(name) ? null : name; // the body: its own fields are named, or "body"
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error (reference %s) on %s", reference, path(uri));
        return respond(new Problem("about:blank", "Internal Server Error", 500,
                "An unexpected error occurred. Reference: " + reference, path(uri), null));
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }
}
