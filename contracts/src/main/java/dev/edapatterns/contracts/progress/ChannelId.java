package dev.edapatterns.contracts.progress;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The id of a progress channel: the key of {@code progress}, chosen by import-app as an unguessable random id for each
 * import ({@link #random()}) and named by the browser in {@code /progress/{channelId}} (notify-app) together with a
 * signed channel token. The id alone grants nothing: notify-app opens a channel only with a valid token for it.
 */
public final class ChannelId {

    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    /** {@link #PATTERN} in words, for error messages. */
    public static final String RULE = "16 to 64 characters of A-Z, a-z, 0-9, '_' or '-'";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ChannelId() {
    }

    /** A fresh channel id: 128 random bits, base64url (22 characters, so {@link #isValid}). */
    public static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static boolean isValid(String channelId) {
        return channelId != null && PATTERN.matcher(channelId).matches();
    }
}
