package dev.edapatterns.eventkit.security;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Plays the OIDC issuer: an RSA key pair made for the test run, its public key configured as the verification key
 * (in place of the issuer's JWKS URL) and the key pair handed to the test's {@code KeyPair} field to sign tokens.
 */
public class SigningKeyTestResource implements QuarkusTestResourceLifecycleManager {

    static final String ISSUER = "https://issuer.test/realms/eda";

    private KeyPair keys;

    @Override
    public Map<String, String> start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("mp.jwt.verify.publickey", Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()),
                "mp.jwt.verify.issuer", ISSUER);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(keys, new TestInjector.MatchesType(KeyPair.class));
    }

    @Override
    public void stop() {
    }
}
