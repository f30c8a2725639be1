package dev.edapatterns.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.deploy.AppSecrets;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

/**
 * Who may log in and what may talk to whom, for every app: users and keys from Secrets, bearer JWTs of the issuer in
 * ConfigMap {@code eda-oidc}, pods without privileges on a read-only root filesystem, NetworkPolicies (egress only to
 * Kafka, DNS, the issuer and the app's own database; ingress only to the API from the ingress controller and to the management port from
 * Prometheus) and an Ingress with TLS exposing only API ports.
 */
@Tag("unit")
class AccessManifestsTest {

    private static final BaseManifests BASE = new BaseManifests();
    static final String USERS_SECRET = "eda-users";
    static final String KEYS_SECRET = "eda-keys";
    static final String OIDC_CONFIG = "eda-oidc";
    /** The keys of Secret eda-keys and the apps that read them in their own configuration (no other app gets them). */
    static final Map<String, Set<String>> KEY_READERS = Map.of(
            AppSecrets.SESSION_KEY, Set.of("import-app", "notify-app", "billing-app"),
            AppSecrets.CHANNEL_TOKEN_KEY, Set.of("import-app", "notify-app"));
    private static final Map<String, String> SECRET_KEY_OF = Map.of(AppSecrets.SESSION_KEY, "session-key",
            AppSecrets.CHANNEL_TOKEN_KEY, "channel-token-key");
    /** What event-kit reads for the bearer JWTs and the pages' code flow (from eda-oidc). */
    private static final Set<String> OIDC_VARIABLES = Set.of("EDA_JWT_JWKS_URL", "EDA_JWT_ISSUER", "EDA_JWT_ROLES_CLAIM",
            "EDA_JWT_AUDIENCE", "EDA_OIDC_CLIENT_ID");
    /** The apps whose pages (or page calls) log in through the issuer's code flow: the k8s profile is on there. */
    static final Set<String> CODE_FLOW_APPS = Set.of("billing-app", "notify-app", "import-app");
    static final String OIDC_CLIENT_SECRET = "eda-oidc-client";
    private static final String COOKIE = "quarkus.oidc.authentication.";
    /** The variables event-kit's k8s profile reads from Secret eda-oidc-client, and their keys. */
    private static final Map<String, String> OIDC_CLIENT_KEYS = Map.of("EDA_OIDC_CLIENT_SECRET", "client-secret",
            "EDA_OIDC_SESSION_SECRET", "session-secret");
    private static final String INGRESS_NAMESPACE = "ingress-nginx";
    private static final String PROMETHEUS_NAMESPACE = "monitoring";

    @Test
    void usersAndKeysComeFromSecretsUnderTheNamesTheLocalRunExports() throws IOException {
        String runScript = Files.readString(BASE.repo.resolve("deploy/local/run.sh"));
        Set<String> realm = EventKitDefaults.referencedNames();
        for (AppSettings app : AppSettings.all(BASE.repo)) {
            Container c = AppManifestsTest.container(app);
            Map<String, SecretKeySelector> fromSecrets = new TreeMap<>();
            for (EnvVar e : c.getEnv()) {
                if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                    fromSecrets.put(e.getName(), e.getValueFrom().getSecretKeyRef());
                } else {
                    assertFalse(e.getName().matches(".*(PASSWORD|KEY|SECRET|TOKEN).*"),
                            app.name() + ": " + e.getName() + " is a secret written into the manifest");
                }
            }
            AppSecrets.PASSWORD_VARIABLES.forEach((user, variable) -> {
                assertTrue(realm.contains(variable), "event-kit's realm reads " + variable);
                SecretKeySelector ref = fromSecrets.get(variable);
                assertNotNull(ref, app.name() + ": " + variable + " (" + user + ") from a Secret");
                assertEquals(USERS_SECRET, ref.getName(), app.name() + ": " + variable);
                assertEquals(variable.substring("EDA_".length(), variable.length() - "_PASSWORD".length()).toLowerCase()
                        + "-password", ref.getKey(), app.name() + ": " + variable);
            });
            KEY_READERS.forEach((variable, readers) -> {
                SecretKeySelector ref = fromSecrets.get(variable);
                assertEquals(readers.contains(app.name()), ref != null, app.name() + ": " + variable + " only where it is read");
                if (ref != null) {
                    assertEquals(KEYS_SECRET, ref.getName());
                    assertEquals(SECRET_KEY_OF.get(variable), ref.getKey());
                }
            });
            assertNull(ref(c, "REFERENCE_ADMIN_PASSWORD"), app.name() + ": the per-app admin passwords are gone");
            assertNull(ref(c, "BILLING_ADMIN_PASSWORD"), app.name() + ": the per-app admin passwords are gone");
        }
        for (String variable : AppSecrets.forTests().keySet()) {
            assertTrue(runScript.contains("export " + variable + "=${" + variable + ":-"), "run.sh generates " + variable + " when unset");
        }
        assertFalse(runScript.contains("REFERENCE_ADMIN_PASSWORD") || runScript.contains("BILLING_ADMIN_PASSWORD"));
    }

    @Test
    void apisVerifyBearerJwtsOfTheConfiguredIssuer() throws IOException {
        assertTrue(Files.readString(BASE.repo.resolve("event-kit/pom.xml")).contains("<artifactId>quarkus-smallrye-jwt</artifactId>"));
        Map<String, String> kit = EventKitDefaults.properties();
        assertEquals("${EDA_JWT_JWKS_URL:NONE}", kit.get("mp.jwt.verify.publickey.location"));
        assertEquals("${EDA_JWT_ISSUER:NONE}", kit.get("mp.jwt.verify.issuer"));
        assertTrue(kit.get("smallrye.jwt.path.groups").startsWith("${EDA_JWT_ROLES_CLAIM"));
        assertTrue(kit.get("mp.jwt.verify.audiences").startsWith("${EDA_JWT_AUDIENCE"));
        assertTrue(EventKitDefaults.referencedNames().containsAll(OIDC_VARIABLES));

        Map<String, String> oidc = BASE.named(ConfigMap.class, OIDC_CONFIG).orElseThrow().getData();
        assertEquals(OIDC_VARIABLES, oidc.keySet());
        assertTrue(oidc.get("EDA_JWT_JWKS_URL").startsWith("https://"), "the signing keys come over TLS");
        assertTrue(oidc.get("EDA_JWT_ISSUER").startsWith("https://"));
        assertTrue(oidc.get("EDA_JWT_JWKS_URL").startsWith(oidc.get("EDA_JWT_ISSUER") + "/"), "Keycloak's JWKS lives under its issuer");
        for (AppSettings app : AppSettings.all(BASE.repo)) {
            assertTrue(AppManifestsTest.container(app).getEnvFrom().stream()
                    .anyMatch(f -> f.getConfigMapRef() != null && OIDC_CONFIG.equals(f.getConfigMapRef().getName())),
                    app.name() + ": envFrom " + OIDC_CONFIG);
        }
    }

    @Test
    void pagesLogInThroughTheIssuersCodeFlowInTheK8sProfile() {
        Map<String, String> kit = EventKitDefaults.properties();
        assertEquals("false", kit.get("quarkus.oidc.tenant-enabled"), "quarkus-oidc is inert outside the k8s profile");
        assertEquals("true", kit.get("%k8s.quarkus.oidc.tenant-enabled"));
        assertEquals("web-app", kit.get("%k8s.quarkus.oidc.application-type"), "bearer tokens stay with smallrye-jwt");
        assertEquals("${EDA_JWT_ISSUER}", kit.get("%k8s.quarkus.oidc.auth-server-url"), "the bearer JWTs' issuer");
        assertEquals("${EDA_OIDC_CLIENT_ID}", kit.get("%k8s.quarkus.oidc.client-id"));
        assertEquals("${EDA_OIDC_CLIENT_SECRET}", kit.get("%k8s.quarkus.oidc.credentials.secret"));
        assertEquals("${EDA_OIDC_SESSION_SECRET}", kit.get("%k8s.quarkus.oidc.token-state-manager.encryption-secret"));
        assertEquals(kit.get("smallrye.jwt.path.groups"), kit.get("%k8s.quarkus.oidc.roles.role-claim-path"),
                "the roles claim of the bearer JWTs");
        assertTrue(BASE.named(ConfigMap.class, OIDC_CONFIG).orElseThrow().getData().containsKey("EDA_OIDC_CLIENT_ID"));

        for (AppSettings app : AppSettings.all(BASE.repo)) {
            boolean codeFlow = CODE_FLOW_APPS.contains(app.name());
            String profile = BASE.named(ConfigMap.class, app.name() + "-config").orElseThrow().getData().get("QUARKUS_PROFILE");
            assertEquals(codeFlow ? "prod,k8s" : null, profile, app.name() + ": QUARKUS_PROFILE");
            assertEquals(codeFlow, k8sProperties(app.name(), COOKIE).containsKey(COOKIE + "cookie-suffix"),
                    app.name() + ": names its session cookie");
            Container c = AppManifestsTest.container(app);
            OIDC_CLIENT_KEYS.forEach((variable, key) -> {
                EnvVar e = ref(c, variable);
                SecretKeySelector secret = e == null || e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef();
                assertEquals(codeFlow, secret != null, app.name() + ": " + variable + " only where it is read");
                if (secret != null) {
                    assertEquals(OIDC_CLIENT_SECRET, secret.getName());
                    assertEquals(key, secret.getKey());
                }
            });
        }
        // one login covers the progress page and its import-app calls: the same cookie, set for the same domain
        assertEquals(k8sProperties("notify-app", COOKIE), k8sProperties("import-app", COOKIE));
        assertEquals("${EDA_OIDC_COOKIE_DOMAIN:}", k8sProperties("notify-app", COOKIE).get(COOKIE + "cookie-domain"));
        for (String app : List.of("notify-app", "import-app")) {
            assertEquals("", BASE.named(ConfigMap.class, app + "-config").orElseThrow().getData().get("EDA_OIDC_COOKIE_DOMAIN"),
                    app + ": the base (in-cluster URLs) keeps the cookie on its host; overlays/prod sets the shared domain");
        }
        assertFalse(k8sProperties("billing-app", COOKIE).containsKey(COOKIE + "cookie-domain"), "the dashboard's cookie stays on its host");
        // the pages, not the APIs, start the code flow
        assertEquals(Map.of("quarkus.http.auth.permission.page.auth-mechanism", "code"),
                k8sProperties("notify-app", "quarkus.http.auth.permission."));
        assertEquals(Map.of("quarkus.http.auth.permission.dashboard.auth-mechanism", "code"),
                k8sProperties("billing-app", "quarkus.http.auth.permission."));
        assertEquals(Map.of(), k8sProperties("import-app", "quarkus.http.auth.permission."));
    }

    /** An app's k8s-profile settings under a prefix, as written (without "%k8s."). */
    private static Map<String, String> k8sProperties(String app, String prefix) {
        Properties raw = new Properties();
        try (Reader reader = Files.newBufferedReader(BASE.repo.resolve(app).resolve("src/main/resources/application.properties"))) {
            raw.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> k8s = new TreeMap<>();
        raw.stringPropertyNames().stream().filter(k -> k.startsWith("%k8s." + prefix))
                .forEach(k -> k8s.put(k.substring("%k8s.".length()), raw.getProperty(k)));
        return k8s;
    }

    @Test
    void podsRunWithoutPrivilegesOnAReadOnlyRootFilesystemWithATmpVolume() {
        for (AppSettings app : AppSettings.all(BASE.repo)) {
            PodSpec pod = AppManifestsTest.podSpec(app);
            PodSecurityContext ps = pod.getSecurityContext();
            assertNotNull(ps, app.name() + ": pod securityContext");
            assertEquals(Boolean.TRUE, ps.getRunAsNonRoot(), app.name() + ": runAsNonRoot");
            assertTrue(ps.getRunAsUser() != null && ps.getRunAsUser() > 0, app.name() + ": runAsUser not root");
            assertEquals("RuntimeDefault", ps.getSeccompProfile().getType(), app.name() + ": seccomp");
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), app.name() + ": no API token in the pod");
            Container c = AppManifestsTest.container(app);
            SecurityContext cs = c.getSecurityContext();
            assertNotNull(cs, app.name() + ": container securityContext");
            assertEquals(Boolean.FALSE, cs.getAllowPrivilegeEscalation(), app.name());
            assertEquals(Boolean.TRUE, cs.getReadOnlyRootFilesystem(), app.name());
            assertEquals(List.of("ALL"), cs.getCapabilities().getDrop(), app.name());
            assertTrue(cs.getCapabilities().getAdd() == null || cs.getCapabilities().getAdd().isEmpty(), app.name());
            assertTrue(cs.getPrivileged() == null || !cs.getPrivileged(), app.name());

            String tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                    .orElseThrow(() -> new AssertionError(app.name() + ": no volume on /tmp")).getName();
            Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmp)).findFirst().orElseThrow();
            assertNotNull(volume.getEmptyDir(), app.name() + ": /tmp is an emptyDir");
            Quantity size = volume.getEmptyDir().getSizeLimit();
            assertNotNull(size, app.name() + ": /tmp has a size limit");
            if (app.properties().containsKey("import.uploads.max-bytes")) {
                // every concurrent upload spools to /tmp (UploadSpool) until it is cut into jobs
                long spool = Quantity.getAmountInBytes(new Quantity(app.properties().get("import.uploads.max-bytes"))).longValue()
                        * Long.parseLong(app.properties().get("import.uploads.max-concurrent"));
                assertTrue(Quantity.getAmountInBytes(size).longValue() > spool, app.name() + ": /tmp " + size + " holds " + spool + " bytes of uploads");
            }
        }
    }

    @Test
    void networkPoliciesLetAppsReachOnlyKafkaDnsTheIssuerAndTheirDatabase() {
        for (AppSettings app : AppSettings.all(BASE.repo)) {
            List<NetworkPolicy> policies = selecting(app);
            assertTrue(policies.stream().anyMatch(p -> p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
                    && p.getSpec().getIngress().isEmpty() && p.getSpec().getEgress().isEmpty()), app.name() + ": default deny");
            List<String> egress = new ArrayList<>();
            for (NetworkPolicy p : policies) {
                assertTrue(p.getSpec().getPolicyTypes().contains("Egress") || p.getSpec().getEgress().isEmpty(), p.getMetadata().getName());
                p.getSpec().getEgress().forEach(rule -> egress.add(describe(rule)));
            }
            Set<String> expected = new TreeSet<>(List.of(
                    "kafka: TCP/9093",
                    "dns: UDP/53 TCP/53",
                    "issuer: TCP/443"));
            if (PostgresManifestsTest.hasDatasource(app)) {
                expected.add("postgres " + PostgresManifestsTest.CLUSTER + ": TCP/5432");
            }
            assertEquals(expected, new TreeSet<>(egress), app.name() + ": egress");
        }
    }

    @Test
    void networkPoliciesAdmitTheIngressControllerToTheApiAndPrometheusToTheManagementPort() {
        for (AppSettings app : AppSettings.all(BASE.repo)) {
            Set<String> ingress = new TreeSet<>();
            for (NetworkPolicy p : selecting(app)) {
                for (NetworkPolicyIngressRule rule : p.getSpec().getIngress()) {
                    assertFalse(rule.getFrom().isEmpty(), p.getMetadata().getName() + ": a rule from anywhere");
                    for (NetworkPolicyPeer peer : rule.getFrom()) {
                        assertNull(peer.getIpBlock(), p.getMetadata().getName());
                        assertNull(peer.getPodSelector(), p.getMetadata().getName() + ": whole namespaces, not pods of ours");
                        String namespace = peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name");
                        rule.getPorts().forEach(port -> ingress.add(namespace + " -> " + port.getPort().getStrVal()));
                    }
                }
            }
            assertEquals(Set.of(INGRESS_NAMESPACE + " -> http", PROMETHEUS_NAMESPACE + " -> management"), ingress, app.name());
        }
    }

    @Test
    void theIngressServesOnlyApiPortsOverTls() throws IOException {
        List<Ingress> ingresses = BASE.all(Ingress.class);
        assertFalse(ingresses.isEmpty());
        Set<String> served = new TreeSet<>();
        for (Ingress ingress : ingresses) {
            var tls = ingress.getSpec().getTls();
            assertFalse(tls.isEmpty(), ingress.getMetadata().getName() + ": TLS");
            Set<String> tlsHosts = tls.stream().peek(t -> assertNotNull(t.getSecretName(), "a certificate Secret"))
                    .flatMap(t -> t.getHosts().stream()).collect(Collectors.toSet());
            assertNull(ingress.getSpec().getDefaultBackend(), "no catch-all backend");
            for (var rule : ingress.getSpec().getRules()) {
                assertTrue(tlsHosts.contains(rule.getHost()), rule.getHost() + " is served over TLS");
                for (var path : rule.getHttp().getPaths()) {
                    IngressBackend backend = path.getBackend();
                    String service = backend.getService().getName();
                    assertTrue(AppSettings.APPS.contains(service), service + " is an app's Service");
                    assertEquals("http", backend.getService().getPort().getName(), service + ": the API port only");
                    served.add(service);
                }
            }
            // nginx answers 413 above 1m by default: uploads up to import.uploads.max-bytes must pass
            String body = ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-body-size");
            String maxUpload = AppSettings.of(BASE.repo, "import-app").properties().get("import.uploads.max-bytes");
            assertTrue(Quantity.getAmountInBytes(new Quantity(body.toUpperCase().replace("M", "Mi")))
                    .compareTo(Quantity.getAmountInBytes(new Quantity(maxUpload.replace("M", "Mi")))) >= 0,
                    "proxy-body-size " + body + " >= import.uploads.max-bytes " + maxUpload);
        }
        assertEquals(new TreeSet<>(AppSettings.APPS), served, "every app's API is reachable");
    }

    /** The NetworkPolicies whose podSelector selects the app's pods. */
    private static List<NetworkPolicy> selecting(AppSettings app) {
        Map<String, String> labels = podLabels(app);
        List<NetworkPolicy> found = BASE.all(NetworkPolicy.class).stream().filter(p -> selects(p.getSpec().getPodSelector(), labels)).toList();
        assertFalse(found.isEmpty(), app.name() + ": no NetworkPolicy selects its pods");
        return found;
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        boolean labelsMatch = selector.getMatchLabels() == null
                || labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
        boolean expressionsMatch = selector.getMatchExpressions() == null || selector.getMatchExpressions().stream().allMatch(e ->
                switch (e.getOperator()) {
                    case "In" -> e.getValues().contains(labels.get(e.getKey()));
                    case "NotIn" -> !e.getValues().contains(labels.get(e.getKey()));
                    case "Exists" -> labels.containsKey(e.getKey());
                    case "DoesNotExist" -> !labels.containsKey(e.getKey());
                    default -> throw new AssertionError("operator " + e.getOperator());
                });
        return labelsMatch && expressionsMatch;
    }

    private static Map<String, String> podLabels(AppSettings app) {
        return BASE.named(StatefulSet.class, app.name()).map(s -> s.getSpec().getTemplate().getMetadata().getLabels())
                .orElseGet(() -> BASE.named(Deployment.class, app.name()).orElseThrow().getSpec().getTemplate().getMetadata().getLabels());
    }

    /** An egress rule as "kafka|dns|issuer: ports", or "unexpected ..." for anything else. */
    private static String describe(NetworkPolicyEgressRule rule) {
        String ports = rule.getPorts().stream().map(AccessManifestsTest::port).collect(Collectors.joining(" "));
        if (rule.getTo().size() != 1 || ports.isEmpty()) {
            return "unexpected (a rule to several peers, anywhere or any port): " + rule;
        }
        NetworkPolicyPeer to = rule.getTo().get(0);
        if (to.getNamespaceSelector() == null && to.getIpBlock() == null && to.getPodSelector() != null
                && Map.of("strimzi.io/cluster", KafkaManifestsGenerator.CLUSTER, "strimzi.io/kind", "Kafka")
                        .equals(to.getPodSelector().getMatchLabels())) {
            return "kafka: " + ports;
        }
        if (to.getNamespaceSelector() != null && Map.of("kubernetes.io/metadata.name", "kube-system")
                .equals(to.getNamespaceSelector().getMatchLabels()) && to.getPodSelector() != null
                && Map.of("k8s-app", "kube-dns").equals(to.getPodSelector().getMatchLabels())) {
            return "dns: " + ports;
        }
        if (to.getNamespaceSelector() == null && to.getIpBlock() == null && to.getPodSelector() != null
                && to.getPodSelector().getMatchLabels().size() == 1 && to.getPodSelector().getMatchLabels().containsKey("cnpg.io/cluster")) {
            return "postgres " + to.getPodSelector().getMatchLabels().get("cnpg.io/cluster") + ": " + ports;
        }
        if (to.getIpBlock() != null && to.getIpBlock().getCidr().endsWith("/32")
                && (to.getIpBlock().getExcept() == null || to.getIpBlock().getExcept().isEmpty())) {
            return "issuer: " + ports;
        }
        return "unexpected peer " + to + ": " + ports;
    }

    private static String port(NetworkPolicyPort p) {
        return p.getProtocol() + "/" + (p.getPort().getIntVal() != null ? p.getPort().getIntVal() : p.getPort().getStrVal());
    }

    private static EnvVar ref(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElse(null);
    }
}
