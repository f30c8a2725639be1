package dev.edapatterns.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.contracts.progress.ChannelId;

/** The rules two apps must apply alike: which channel ids exist, which spelling of an email keys a contact. */
@Tag("unit")
class SharedRulesTest {

    @Test
    void channelIdsAre16To64UrlSafeCharacters() {
        assertTrue(ChannelId.isValid("a".repeat(16)));
        assertTrue(ChannelId.isValid("Az09_-".repeat(10) + "abcd"));
        assertFalse(ChannelId.isValid("a".repeat(15)));
        assertFalse(ChannelId.isValid("a".repeat(65)));
        assertFalse(ChannelId.isValid("has spaces in it and more"));
        assertFalse(ChannelId.isValid("abcdefghijklmnop/"));
        assertFalse(ChannelId.isValid(null));
    }

    @Test
    void randomChannelIdsAreValidAndDistinct() {
        String a = ChannelId.random();
        assertTrue(ChannelId.isValid(a), a);
        assertEquals(22, a.length());
        assertFalse(a.equals(ChannelId.random()));
    }

    @Test
    void anEmailIsKeyedTrimmedAndInLowerCase() {
        assertEquals("ann@example.com", Contact.normalizeEmail("  Ann@Example.COM\t"));
        assertEquals(Contact.normalizeEmail("ann@example.com"), Contact.normalizeEmail("ANN@example.com "));
    }
}
