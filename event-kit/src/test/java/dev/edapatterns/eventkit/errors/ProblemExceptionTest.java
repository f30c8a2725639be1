package dev.edapatterns.eventkit.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ProblemExceptionTest {

    @Test
    void badRequestIsA400WithTheDetailAsMessage() {
        ProblemException e = ProblemException.badRequest("The CSV is empty.");
        assertEquals(400, e.status());
        assertEquals("The CSV is empty.", e.getMessage());
        assertEquals(new Problem("about:blank", "Bad Request", 400, "The CSV is empty.", "/imports", Map.of()), e.toProblem("/imports"));
    }

    @Test
    void extensionsKeepTheirOrderAndAGivenTypeIsKept() {
        ProblemException e = new ProblemException(409, "Conflict", "Key reused.", "https://example.com/problems/key-reuse")
                .with("key", "k-1").with("errors", List.of("a", "b")).with("attempt", 2);
        Problem problem = e.toProblem("/orders/1/payments");
        assertEquals("https://example.com/problems/key-reuse", problem.type());
        assertEquals(List.of("key", "errors", "attempt"), List.copyOf(problem.extensions().keySet()));
        assertEquals(List.of("a", "b"), problem.extensionMembers().get("errors"));
    }

    @Test
    void aLaterValueForTheSameExtensionReplacesTheEarlierOne() {
        ProblemException e = ProblemException.badRequest("x").with("errors", List.of("first")).with("errors", List.of("second"));
        assertEquals(Map.of("errors", List.of("second")), e.toProblem(null).extensions());
    }

    @Test
    void aClientErrorCarriesNoStackTraceAndNoCause() {
        ProblemException e = ProblemException.badRequest("x");
        assertEquals(0, e.getStackTrace().length);
        assertNull(e.getCause());
    }
}
