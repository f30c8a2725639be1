package dev.edapatterns.eventkit.security;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import dev.edapatterns.eventkit.EventKitConfig;
import io.quarkus.elytron.security.runtime.ElytronPasswordIdentityProvider;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Every user name + password login (HTTP Basic and the login form) passes here first: a throttled user/address pair
 * is refused before the password is checked ({@link ThrottledLogin}, answered 429), every other attempt
 * goes to the embedded users' provider and its outcome is counted. It runs before that provider (higher priority)
 * and never answers "not mine", so the provider is never asked directly.
 */
@ApplicationScoped
public class ThrottledPasswordLogins implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private final ElytronPasswordIdentityProvider passwords;
    private final LoginThrottle throttle;

    ThrottledPasswordLogins(ElytronPasswordIdentityProvider passwords, EventKitConfig config) {
        this.passwords = passwords;
        this.throttle = new LoginThrottle(config.loginThrottle(), Clock.systemUTC());
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return SYSTEM_FIRST + 100;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String user = request.getUsername();
        String address = address(HttpSecurityUtils.getRoutingContextAttribute(request));
        var wait = throttle.waitBefore(user, address);
        if (wait.isPresent()) {
            return Uni.createFrom().failure(ThrottledLogin.failure(wait.get()));
        }
        return passwords.authenticate(request, context)
                .onItem().ifNull().failWith(AuthenticationFailedException::new)
                .onItem().invoke(identity -> throttle.succeeded(user, address))
                .onFailure().invoke(e -> throttle.failed(user, address));
    }

    /** The client's address as the HTTP layer sees it (behind a proxy: the forwarded one, when trusted). */
    private static String address(RoutingContext routing) {
        if (routing == null || routing.request().remoteAddress() == null) {
            return "unknown";
        }
        return routing.request().remoteAddress().hostAddress();
    }
}
