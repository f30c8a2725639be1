package dev.edapatterns.contracts.billing;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Card tokens are write-only: a client sends one, the subscription's own record on {@code billing.subscriptions} keeps
 * it, and everything else (answers, logs, other records, dashboards) shows at most its last 4 characters.
 */
public final class CardTokens {

    /** Shorter tokens show no characters at all: their last 4 would give most of the token away. */
    static final int MIN_LENGTH_TO_SHOW_LAST4 = 8;
    /** A {@code "cardToken": "..."} member anywhere in JSON text (also in text that is not quite JSON). */
    private static final Pattern JSON_MEMBER = Pattern.compile("\"cardToken\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private CardTokens() {
    }

    /** The token's last 4 characters, or null when there is no token or it is too short to show any of it. */
    public static String last4(String token) {
        return token == null || token.length() < MIN_LENGTH_TO_SHOW_LAST4 ? null : token.substring(token.length() - 4);
    }

    /** For log lines and toString(): {@code ••••4242}, {@code ••••} for a short token, null for none. */
    public static String masked(String token) {
        if (token == null) {
            return null;
        }
        String last4 = last4(token);
        return "••••" + (last4 == null ? "" : last4);
    }

    /**
     * Raw record text as an operator may see it (e.g. a dead letter written before renewal commands lost their card
     * token): every {@code "cardToken"} member's value {@link #masked}, everything else unchanged.
     */
    public static String maskInJson(String text) {
        if (text == null || !text.contains("\"cardToken\"")) {
            return text;
        }
        return JSON_MEMBER.matcher(text).replaceAll(m -> Matcher.quoteReplacement("\"cardToken\":\"" + masked(m.group(1)) + "\""));
    }

    /**
     * Raw record bytes as they may be written again to a topic (e.g. a dead letter that no reader accepts, redriven):
     * every {@code "cardToken"} member's value replaced by {@code null}, nothing of the token left; all other bytes
     * unchanged, whatever they are (read one character per byte, so even bytes that are not UTF-8 survive as they were).
     */
    public static byte[] withoutTokens(byte[] value) {
        if (value == null) {
            return null;
        }
        String text = new String(value, StandardCharsets.ISO_8859_1);
        if (!text.contains("\"cardToken\"")) {
            return value;
        }
        return JSON_MEMBER.matcher(text).replaceAll("\"cardToken\":null").getBytes(StandardCharsets.ISO_8859_1);
    }
}
