package dev.edapatterns.billing.provider;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.WithDefault;

/** {@code billing.provider.*} in application.properties (a group of {@link dev.edapatterns.billing.BillingConfig}). */
public interface ProviderConfig {

    /** The {@code @Identifier} of the {@link PaymentProvider} bean that charges. */
    String active();

    Simulated simulated();

    /** {@code billing.provider.simulated.*}: the in-process {@link SimulatedPaymentProvider}. */
    interface Simulated {
        /** When set, every call is appended here as a JSON line (the log outlives a restart of the app). */
        Optional<Path> callLog();

        /** Share of calls (0..1) that fail transiently from the start; PUT /admin/provider/switches changes it. */
        @WithDefault("0")
        double failureRate();

        /** How long each call takes (a real provider's network and processing time); 0 answers at once. */
        @WithDefault("0s")
        java.time.Duration latency();
    }
}
