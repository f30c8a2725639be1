package dev.edapatterns.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.ReflectionCoverage;

/** Native image: every public record and enum of the app is registered for reflection (no native build needed). */
@Tag("unit")
class NativeReflectionTest {

    @Test
    void everyMappedTypeIsRegistered() {
        assertFalse(ReflectionCoverage.mappedTypes(NativeReflection.class, "dev.edapatterns.billing.").isEmpty());
        assertEquals(Set.of(), ReflectionCoverage.missing(NativeReflection.class, NativeReflection.class, "dev.edapatterns.billing."));
    }
}
