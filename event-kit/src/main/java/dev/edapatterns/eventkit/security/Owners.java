package dev.edapatterns.eventkit.security;

import dev.edapatterns.eventkit.errors.ProblemException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who may act on a resource: its owner — the authenticated principal's name (a customer's normalised email; with
 * JWTs the {@code sub}) — or a holder of the app's admin role, who acts for anyone.
 */
public final class Owners {

    private Owners() {
    }

    /** The caller's principal name; anonymous callers get a 401. */
    public static String principal(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            throw new UnauthorizedException();
        }
        return identity.getPrincipal().getName();
    }

    /** Whether the caller may act for {@code owner}: it is the caller, or the caller holds {@code adminRole}. */
    public static boolean mayActFor(SecurityIdentity identity, String owner, String adminRole) {
        return identity.hasRole(adminRole) || principal(identity).equals(owner);
    }

    /** 401 when anonymous, 403 when {@code owner} is someone else and the caller lacks {@code adminRole}. */
    public static void requireSelfOrRole(SecurityIdentity identity, String owner, String adminRole) {
        if (!mayActFor(identity, owner, adminRole)) {
            throw forbidden();
        }
    }

    /** The 403 for "this belongs to someone else" (it does not say whether the resource exists). */
    public static ProblemException forbidden() {
        return new ProblemException(403, "Forbidden", "This belongs to another user.");
    }
}
