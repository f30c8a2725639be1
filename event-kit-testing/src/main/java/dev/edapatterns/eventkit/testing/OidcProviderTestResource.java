package dev.edapatterns.eventkit.testing;

import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Runs a {@link TestOidcProvider} for a Quarkus test and points the k8s profile's OIDC settings (event-kit's
 * "the pages' login on Kubernetes") at it through the variables the Kubernetes manifests set; the provider is
 * injected into the test's {@code TestOidcProvider} field. Plain HTTP: the redirect URI keeps the request's scheme.
 */
public class OidcProviderTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "eda-pages";

    private TestOidcProvider provider;

    @Override
    public Map<String, String> start() {
        String clientSecret = UUID.randomUUID().toString();
        provider = new TestOidcProvider(CLIENT_ID, clientSecret);
        return Map.of("EDA_JWT_ISSUER", provider.issuer(),
                "EDA_OIDC_CLIENT_ID", CLIENT_ID,
                "EDA_OIDC_CLIENT_SECRET", clientSecret,
                "EDA_OIDC_SESSION_SECRET", UUID.randomUUID() + "-" + UUID.randomUUID(),
                "EDA_OIDC_FORCE_HTTPS", "false");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(provider, new TestInjector.MatchesType(TestOidcProvider.class));
    }

    @Override
    public void stop() {
        if (provider != null) {
            provider.close();
        }
    }
}
