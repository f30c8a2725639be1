package dev.edapatterns.notify.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The shape checks of a progress handshake, before any token is verified or history read. */
@Tag("unit")
class SubscribeRequestTest {

    private static final String CHANNEL = "Abcdefghijklmnop_-0123";
    private static final int MAX_TOKEN = 40;

    @Test
    void aWellFormedRequestIsReadAsIs() {
        SubscribeRequest request = SubscribeRequest.parse(CHANNEL, "token=aaa.bbb_-.ccc&after=%2041", MAX_TOKEN).request();
        assertEquals(new SubscribeRequest(CHANNEL, "aaa.bbb_-.ccc", OptionalLong.of(41)), request);
        assertEquals(new SubscribeRequest(CHANNEL, null, OptionalLong.empty()),
                SubscribeRequest.parse(CHANNEL, null, MAX_TOKEN).request(), "the token's absence is ChannelTokens' to refuse");
        assertEquals(OptionalLong.of(-1), SubscribeRequest.parse(CHANNEL, "after=-1", MAX_TOKEN).request().after());
        assertEquals("x".repeat(MAX_TOKEN), SubscribeRequest.parse(CHANNEL, "token=" + "x".repeat(MAX_TOKEN), MAX_TOKEN)
                .request().token(), "a token of the maximum length");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "no channel id          | NULL                    | token=a          | channelId must match",
            "short channel id       | abc                     | token=a          | channelId must match",
            "long channel id        | " + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + " | token=a | channelId must match",
            "dot in channel id      | abcdefghijklmnop.q      | token=a          | channelId must match",
            "NUL in channel id      | abcdefghijklmnop\u0000q | token=a          | channelId must match",
            "bidi in channel id     | abcdefghijklmnop\u202Eq | token=a          | channelId must match",
            "bad escape             | " + CHANNEL + "         | token=%zz        | not valid URL encoding",
            "cut escape             | " + CHANNEL + "         | token=a%2        | not valid URL encoding",
            "long token             | " + CHANNEL + "         | token=" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + " | too long (at most 40",
            "space in token         | " + CHANNEL + "         | token=a%20b      | the channel token is invalid",
            "NUL in token           | " + CHANNEL + "         | token=a%00b      | the channel token is invalid",
            "padding in token       | " + CHANNEL + "         | token=a.b.c%3D   | the channel token is invalid",
            "non-ASCII in token     | " + CHANNEL + "         | token=%C3%A9     | the channel token is invalid",
            "after not a number     | " + CHANNEL + "         | token=a&after=x  | after must be an integer",
            "after empty            | " + CHANNEL + "         | token=a&after    | after must be an integer",
            "after overflows        | " + CHANNEL + "         | after=9223372036854775808 | after must be an integer",
            "after a decimal        | " + CHANNEL + "         | after=1.5        | after must be an integer",
            "after below -1         | " + CHANNEL + "         | after=-2         | after must be -1",
    })
    void malformedInputsAreRefusedWithAShortReason(String name, String channelId, String query, String reason) {
        SubscribeRequest.Parsed parsed = SubscribeRequest.parse(channelId, query, MAX_TOKEN);
        assertNull(parsed.request(), name);
        assertTrue(parsed.refusal().contains(reason), name + ": " + parsed.refusal());
        assertTrue(parsed.refusal().length() <= 123, "a close reason fits in a close frame");
    }
}
