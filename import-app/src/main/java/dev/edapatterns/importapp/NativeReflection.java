package dev.edapatterns.importapp;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native image: this app's own Jackson-mapped types (REST bodies, reports), registered for reflection. The contracts
 * and event-kit types are in event-kit's {@code SharedReflection}. {@code NativeReflectionTest} fails when a
 * public record or enum of the app is missing here.
 */
@RegisterForReflection(targets = {
        dev.edapatterns.importapp.jobs.ImportService.Accepted.class,
        dev.edapatterns.importapp.jobs.ImportsResource.ImportAccepted.class,
        dev.edapatterns.importapp.jobs.ImportsResource.ImportStatus.class,
        dev.edapatterns.importapp.jobs.ImportsResource.ImportSummary.class,
        dev.edapatterns.importapp.jobs.ImportsResource.ImportList.class
})
public final class NativeReflection {

    private NativeReflection() {
    }
}
