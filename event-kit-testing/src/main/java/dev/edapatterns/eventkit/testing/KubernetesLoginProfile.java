package dev.edapatterns.eventkit.testing;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile with the k8s profile on top (its {@code %k8s} lines win): the pages log in through the OIDC code
 * flow of a {@link TestOidcProvider} run by the test, everything else as in the other tests (embedded users, Basic).
 */
public class KubernetesLoginProfile implements QuarkusTestProfile {

    @Override
    public String getConfigProfile() {
        return "test,k8s";
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(OidcProviderTestResource.class));
    }
}
