package dev.edapatterns.eventkit.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.ImportJob;
import dev.edapatterns.eventkit.errors.Problem;
import dev.edapatterns.eventkit.testing.ReflectionCoverage;

/** Every record and enum of contracts and event-kit is registered for reflection (native image). */
@Tag("unit")
class SharedReflectionTest {

    @Test
    void everyContractTypeIsRegistered() {
        Set<String> mapped = ReflectionCoverage.mappedTypes(Topics.class, "dev.edapatterns.contracts.");
        assertTrue(mapped.contains(ImportJob.class.getName()) && mapped.size() > 30, "the scan finds the contracts: " + mapped);
        assertEquals(Set.of(), ReflectionCoverage.missing(SharedReflection.class, Topics.class, "dev.edapatterns.contracts."));
    }

    @Test
    void everyEventKitTypeIsRegistered() {
        Set<String> mapped = ReflectionCoverage.mappedTypes(Problem.class, "dev.edapatterns.eventkit.");
        assertTrue(mapped.contains(Problem.class.getName()), mapped.toString());
        assertEquals(Set.of(), ReflectionCoverage.missing(SharedReflection.class, Problem.class, "dev.edapatterns.eventkit."));
    }
}
