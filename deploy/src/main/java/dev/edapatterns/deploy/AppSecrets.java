package dev.edapatterns.deploy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a packaged app needs to start in the prod profile, which has no default password or key: the shop
 * users' passwords (event-kit's realm) and the shared keys, under the names {@code deploy/local/run.sh} exports and the
 * Kubernetes Secrets provide. {@link #forTests()} holds fixed values for process tests and benchmarks.
 */
public final class AppSecrets {

    public static final String ADMIN = "admin";
    public static final String IMPORTER = "importer";
    public static final String CRM = "crm";
    /** The customer the prod realm knows (dev and test profiles add more). */
    public static final String CUSTOMER = "alice@example.com";

    /** User -> the environment variable holding their password. */
    public static final Map<String, String> PASSWORD_VARIABLES = Map.of(ADMIN, "EDA_ADMIN_PASSWORD",
            IMPORTER, "EDA_IMPORTER_PASSWORD", CRM, "EDA_CRM_PASSWORD", CUSTOMER, "EDA_CUSTOMER_PASSWORD");
    /** Form-login cookie encryption (one key for every app: one login covers the progress page and its import-app calls). */
    public static final String SESSION_KEY = "EDA_SESSION_KEY";
    /** Signs and verifies progress channel tokens. */
    public static final String CHANNEL_TOKEN_KEY = "EDA_CHANNEL_TOKEN_KEY";

    private AppSecrets() {
    }

    /** Fixed values of every variable (base64 of 32 bytes for the keys): start an app with these in its environment. */
    public static Map<String, String> forTests() {
        Map<String, String> env = new LinkedHashMap<>();
        PASSWORD_VARIABLES.forEach((user, variable) -> env.put(variable, testPassword(user)));
        env.put(SESSION_KEY, key("session-key-of-the-tests-32bytes"));
        env.put(CHANNEL_TOKEN_KEY, key("channel-key-of-the-tests-32bytes"));
        return env;
    }

    /** The password of a prod-realm user in {@link #forTests()}. */
    public static String testPassword(String user) {
        if (!PASSWORD_VARIABLES.containsKey(user)) {
            throw new IllegalArgumentException(user + " is no user of the prod realm " + PASSWORD_VARIABLES.keySet());
        }
        return "test-" + user.replaceAll("@.*", "") + "-password";
    }

    /** An {@code Authorization} header value (HTTP Basic) for a user of {@link #forTests()}. */
    public static String basicAuthorization(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + testPassword(user)).getBytes(StandardCharsets.UTF_8));
    }

    private static String key(String bytes32) {
        return Base64.getEncoder().encodeToString(bytes32.getBytes(StandardCharsets.US_ASCII));
    }
}
