package dev.edapatterns.notify.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The per-user and per-instance caps on open connections, and that refusals and releases hold nothing. */
@Tag("unit")
class ConnectionLimitsTest {

    @Test
    void aUserGetsUpToItsCapThenTheInstanceFillsUp() {
        ConnectionLimits limits = new ConnectionLimits(5, 3);
        for (int i = 0; i < 3; i++) {
            assertNull(limits.admit("a" + i, "alice"));
        }
        assertEquals(ConnectionLimits.Refusal.USER_FULL, limits.admit("a3", "alice"));
        assertNull(limits.admit("b0", "bob"));
        assertNull(limits.admit("b1", "bob"));
        assertEquals(ConnectionLimits.Refusal.INSTANCE_FULL, limits.admit("c0", "carol"));
        assertEquals(ConnectionLimits.Refusal.USER_FULL, limits.admit("a4", "alice"), "the user's cap is named first");
        assertEquals(5, limits.open());
        assertEquals(2, limits.users());

        limits.release("b1");
        assertNull(limits.admit("c0", "carol"), "a released slot is free again");
        assertEquals(1008, ConnectionLimits.Refusal.USER_FULL.closeCode);
        assertEquals(1013, ConnectionLimits.Refusal.INSTANCE_FULL.closeCode);
    }

    @Test
    void releasesAreIdempotentAndForgetUsersAtZero() {
        ConnectionLimits limits = new ConnectionLimits(10, 2);
        assertNull(limits.admit("a0", "alice"));
        assertNull(limits.admit("a0", "alice"), "the same connection twice takes one slot");
        assertEquals(1, limits.open());
        limits.release("a0");
        limits.release("a0");
        limits.release("never-admitted");
        assertEquals(0, limits.open());
        assertEquals(0, limits.users());
        assertNull(limits.admit("a1", "alice"));
        assertNull(limits.admit("a2", "alice"));
        assertEquals(ConnectionLimits.Refusal.USER_FULL, limits.admit("a3", "alice"), "the count started again at zero");
    }

    @Test
    void reasonsNameTheCapAndFitInACloseFrame() {
        ConnectionLimits limits = new ConnectionLimits(20_000, 1_000);
        assertEquals("too many progress connections for this user (at most 1000)",
                limits.reason(ConnectionLimits.Refusal.USER_FULL));
        assertEquals("this instance has its maximum of 20000 connections, try again later",
                limits.reason(ConnectionLimits.Refusal.INSTANCE_FULL));
    }
}
