package dev.edapatterns.notify;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native image: this app's own Jackson-mapped types (REST bodies, reports), registered for reflection. The contracts
 * and event-kit types are in event-kit's {@code SharedReflection}. {@code NativeReflectionTest} fails when a
 * public record or enum of the app is missing here.
 */
@RegisterForReflection(targets = {
        dev.edapatterns.notify.page.ConfigResource.PageConfig.class,
        dev.edapatterns.notify.progress.ProgressHub.Stats.class,
        dev.edapatterns.notify.progress.RetainedEvent.class
})
public final class NativeReflection {

    private NativeReflection() {
    }
}
