package dev.edapatterns.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

/**
 * order-app's read model on Kubernetes: the CloudNativePG {@code Cluster} and order-app wired to it through the
 * operator's Service and Secrets, and the NetworkPolicies on both sides.
 */
@Tag("unit")
class PostgresManifestsTest {

    static final String CLUSTER = "orders-db";
    private static final BaseManifests BASE = new BaseManifests();

    /** The app's pod gets a JDBC URL (directly or from a ConfigMap it imports). */
    static boolean hasDatasource(AppSettings app) {
        Container c = AppManifestsTest.container(app);
        return c.getEnv().stream().anyMatch(e -> e.getName().equals("QUARKUS_DATASOURCE_JDBC_URL"))
                || c.getEnvFrom().stream().filter(f -> f.getConfigMapRef() != null)
                        .map(f -> BASE.named(ConfigMap.class, f.getConfigMapRef().getName()).orElseThrow())
                        .anyMatch(cm -> cm.getData().containsKey("QUARKUS_DATASOURCE_JDBC_URL"));
    }

    private static CnpgCluster cluster() {
        return BASE.named(CnpgCluster.class, CLUSTER).orElseThrow(() -> new AssertionError("no CloudNativePG Cluster " + CLUSTER));
    }

    @Test
    void theClusterRunsThePostgresVersionOfTheTestsWithACopyPerNode() throws IOException {
        Matcher binaries = Pattern.compile("<postgres-binaries.version>(\\d+\\.\\d+)\\.\\d+</postgres-binaries.version>")
                .matcher(Files.readString(BASE.repo.resolve("pom.xml")));
        assertTrue(binaries.find(), "the parent pom pins the embedded PostgreSQL binaries");
        CnpgCluster.Spec spec = cluster().getSpec();
        assertEquals("ghcr.io/cloudnative-pg/postgresql:" + binaries.group(1), spec.imageName(),
                "production runs the PostgreSQL the tests, dev mode and the local run start");
        assertTrue(spec.instances() >= 2, "a replica to fail over to");
        assertEquals(Boolean.TRUE, spec.affinity().enablePodAntiAffinity());
        assertEquals("required", spec.affinity().podAntiAffinityType(), "never two copies on one node");
        assertEquals(Boolean.FALSE, spec.enableSuperuserAccess(), "the app logs in as the database owner only");
        assertNotNull(spec.storage().size());
        var resources = spec.resources();
        assertEquals(resources.getRequests().get("memory"), resources.getLimits().get("memory"),
                "memory request = limit: PostgreSQL's shared memory is never reclaimed under pressure");
        assertEquals(Set.of("order-app"), AppSettings.all(BASE.repo).stream().filter(PostgresManifestsTest::hasDatasource)
                .map(AppSettings::name).collect(Collectors.toSet()), "the apps with a read model");
    }

    @Test
    void orderAppReachesThePrimaryAsTheOwnerOverVerifiedTls() {
        CnpgCluster cluster = cluster();
        AppSettings app = AppSettings.of(BASE.repo, "order-app");
        Container c = AppManifestsTest.container(app);
        String url = BASE.named(ConfigMap.class, "order-app-config").orElseThrow().getData().get("QUARKUS_DATASOURCE_JDBC_URL");
        URI uri = URI.create(url.substring("jdbc:".length()));
        assertEquals("postgresql", uri.getScheme(), url);
        assertEquals(cluster.readWriteService(), uri.getHost(), "the primary's Service");
        assertEquals(5432, uri.getPort());
        assertEquals("/" + cluster.getSpec().bootstrap().initdb().database(), uri.getPath(), "the bootstrapped database");
        Map<String, String> params = Arrays.stream(uri.getQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> p[1]));
        assertEquals("verify-full", params.get("sslmode"), "TLS, server name checked");
        assertTrue(params.keySet().stream().noneMatch(k -> k.contains("password")), "no password in the URL");

        String ca = params.get("sslrootcert");
        String mount = c.getVolumeMounts().stream().filter(m -> ca.equals(m.getMountPath() + "/ca.crt")).findFirst()
                .orElseThrow(() -> new AssertionError("sslrootcert " + ca + " is not mounted")).getName();
        Volume volume = AppManifestsTest.podSpec(app).getVolumes().stream().filter(v -> v.getName().equals(mount)).findFirst().orElseThrow();
        assertEquals(cluster.caSecret(), volume.getSecret().getSecretName(), "the operator's CA");
        assertEquals("ca.crt", volume.getSecret().getItems().get(0).getKey());

        assertEquals(cluster.appSecret() + "/username", secretRef(c, "QUARKUS_DATASOURCE_USERNAME"));
        assertEquals(cluster.appSecret() + "/password", secretRef(c, "QUARKUS_DATASOURCE_PASSWORD"));
    }

    @Test
    void theDatabaseAdmitsOnlyOrderAppItsOwnInstancesTheOperatorAndPrometheus() {
        Map<String, String> podLabels = Map.of("cnpg.io/cluster", CLUSTER);
        Set<String> admitted = new TreeSet<>();
        for (NetworkPolicy p : BASE.all(NetworkPolicy.class)) {
            if (!AccessManifestsTest.selects(p.getSpec().getPodSelector(), podLabels)) {
                continue;
            }
            for (var rule : p.getSpec().getIngress()) {
                String ports = rule.getPorts().stream().map(port -> String.valueOf(port.getPort().getIntVal())).collect(Collectors.joining(","));
                for (var peer : rule.getFrom()) {
                    String namespace = peer.getNamespaceSelector() == null ? "" : peer.getNamespaceSelector().getMatchLabels()
                            .get("kubernetes.io/metadata.name") + "/";
                    String pods = peer.getPodSelector() == null ? "*" : peer.getPodSelector().getMatchLabels().toString();
                    admitted.add(namespace + pods + " -> " + ports);
                }
            }
        }
        assertEquals(new TreeSet<>(Set.of(
                "{app.kubernetes.io/name=order-app} -> 5432",
                "{cnpg.io/cluster=" + CLUSTER + "} -> 5432",
                "cnpg-system/{app.kubernetes.io/name=cloudnative-pg} -> 8000,5432",
                "monitoring/* -> 9187")), admitted);
    }

    @Test
    void theLocalRunCreatesTheSameDatabase() throws IOException {
        String database = cluster().getSpec().bootstrap().initdb().database();
        String run = Files.readString(BASE.repo.resolve("deploy/local/run.sh"));
        assertTrue(run.contains("--database " + database), "run.sh creates " + database);
        assertTrue(run.contains("QUARKUS_DATASOURCE_JDBC_URL=\"jdbc:postgresql://127.0.0.1:$pg_port/" + database + "\""),
                "run.sh points order-app at " + database);
    }

    @Test
    void aClusterFieldTheModelDoesNotKnowIsAnError(@TempDir Path dir) throws IOException {
        // a typo in the Cluster's own fields (Jackson refuses it) and in a nested fabric8 model (an additional property)
        Map<String, String> typos = Map.of("  instance: 3", "instance", "  storage:\n    sise: 1Gi", "sise",
                "  resources:\n    limit:\n      memory: 1Gi", ".spec.resources.limit");
        for (var typo : typos.entrySet()) {
            Path file = dir.resolve("cluster.yaml");
            Files.writeString(file, "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: c\nspec:\n" + typo.getKey() + "\n");
            Throwable e = assertThrows(Throwable.class, () -> Manifests.parse(file), typo.getKey());
            assertTrue(e.getMessage().contains(typo.getValue()), e.getMessage());
        }
    }

    private static String secretRef(Container c, String env) {
        EnvVar e = c.getEnv().stream().filter(v -> v.getName().equals(env)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + ": no env " + env));
        SecretKeySelector ref = e.getValueFrom().getSecretKeyRef();
        return ref.getName() + "/" + ref.getKey();
    }
}
