package dev.edapatterns.eventkit.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

@Tag("unit")
class ProblemTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void extensionsAreFlattenedIntoTheJsonAfterTheStandardMembersAndNullsAreLeftOut() throws JsonProcessingException {
        Problem problem = new Problem("about:blank", "Bad Request", 400, "Two rows are bad.", null,
                Map.of("errors", List.of(Map.of("line", 3))));
        assertEquals("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"Two rows are bad.\","
                + "\"errors\":[{\"line\":3}]}", json.writeValueAsString(problem));
    }

    @Test
    void noExtensionsMeansAnEmptyImmutableMap() {
        Problem problem = new Problem("about:blank", "Not Found", 404, null, "/x", null);
        assertEquals(Map.of(), problem.extensions());
        assertThrows(UnsupportedOperationException.class, () -> problem.extensions().put("a", 1));
    }

    @Test
    void theExtensionsAreACopy() {
        Map<String, Object> extensions = new HashMap<>(Map.of("a", 1));
        Problem problem = new Problem("about:blank", "Conflict", 409, "d", null, extensions);
        extensions.put("b", 2);
        assertEquals(Map.of("a", 1), problem.extensions());
    }
}
