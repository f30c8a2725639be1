package dev.edapatterns.contracts.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;

/** Card tokens show as their last 4 characters at most, and renewal commands written with a token still decode. */
@Tag("unit")
class CardTokensTest {

    @Test
    void last4OnlyOfTokensLongEnoughToKeepMostOfThemHidden() {
        assertEquals("4242", CardTokens.last4("tok_visa_4242"));
        assertEquals("5678", CardTokens.last4("12345678"));
        assertNull(CardTokens.last4("1234567"));
        assertNull(CardTokens.last4(null));
        assertEquals("••••4242", CardTokens.masked("tok_visa_4242"));
        assertEquals("••••", CardTokens.masked("tok_ok"));
        assertNull(CardTokens.masked(null));
    }

    @Test
    void aSubscriptionPrintsItsCardMasked() {
        Subscription s = new Subscription("alice@example.com", "pro", new BigDecimal("9.90"), "EUR", "FR", "tok_visa_4242",
                LocalDate.of(2031, 1, 1), Subscription.Status.ACTIVE);
        assertFalse(s.toString().contains("tok_visa_4242"), s.toString());
        assertTrue(s.toString().contains("cardToken=••••4242"), s.toString());
        assertTrue(s.toString().contains("userId=alice@example.com"), s.toString());
    }

    @Test
    void cardTokenMembersInRawJsonAreMasked() {
        String v1 = "{\"userId\":\"u1\",\"cardToken\" : \"tok_old_card_1881\",\"period\":\"2030-01-10\"}";
        assertEquals("{\"userId\":\"u1\",\"cardToken\":\"••••1881\",\"period\":\"2030-01-10\"}", CardTokens.maskInJson(v1));
        assertEquals("{\"a\":{\"cardToken\":\"••••\"}}", CardTokens.maskInJson("{\"a\":{\"cardToken\":\"t\\\"ok\"}}"));
        assertEquals("{not json", CardTokens.maskInJson("{not json"));
        assertNull(CardTokens.maskInJson(null));
    }

    @Test
    void rawBytesToBeWrittenAgainLoseEveryCardTokenValueAndNothingElse() {
        byte[] malformed = "{\"userId\":\"u1\",\"cardToken\" : \"tok_old_card_1881\",\"period\":".getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"userId\":\"u1\",\"cardToken\":null,\"period\":",
                new String(CardTokens.withoutTokens(malformed), StandardCharsets.UTF_8));
        byte[] binary = { (byte) 0xff, 0, (byte) 0xc3, '"', 'x' };
        assertTrue(java.util.Arrays.equals(binary, CardTokens.withoutTokens(binary)), "bytes without a token stay as they are");
        byte[] mixed = "\u00e9\"cardToken\":\"t\u00f6k_1234\"\u00ff".getBytes(StandardCharsets.UTF_8);
        assertEquals("\u00e9\"cardToken\":null\u00ff", new String(CardTokens.withoutTokens(mixed), StandardCharsets.UTF_8));
        assertNull(CardTokens.withoutTokens(null));
    }

    @Test
    void aVersionOneRenewalCommandWithACardTokenStillDecodes() {
        String v1 = """
                {"idempotencyKey":"u1:2030-01-10","userId":"u1","period":"2030-01-10","amount":9.90,"currency":"EUR",
                 "cardToken":"tok_old_card_1881","requestedAt":"2030-01-15T12:00:00Z"}""";
        RenewalCommand read = Topics.BILLING_RENEWALS.valueDeserializer()
                .deserialize(Topics.BILLING_RENEWALS.name(), v1.getBytes(StandardCharsets.UTF_8));
        assertEquals(new RenewalCommand("u1:2030-01-10", "u1", "2030-01-10", new BigDecimal("9.90"), "EUR",
                Instant.parse("2030-01-15T12:00:00Z")), read);
        assertFalse(read.toString().contains("tok_"), read.toString());
    }
}
