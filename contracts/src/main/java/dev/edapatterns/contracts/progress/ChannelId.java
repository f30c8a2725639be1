package dev.edapatterns.contracts.progress;

import java.util.regex.Pattern;

/**
 * The id of a progress channel: the key of {@code progress}, chosen by the browser as an unguessable random id and
 * named by it twice, in {@code POST /imports} (import-app) and in {@code /progress/{channelId}} (notify-app). Both
 * apps accept the same ids, or a browser could start an import whose progress it can never watch.
 */
public final class ChannelId {

    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    /** {@link #PATTERN} in words, for error messages. */
    public static final String RULE = "16 to 64 characters of A-Z, a-z, 0-9, '_' or '-'";

    private ChannelId() {
    }

    public static boolean isValid(String channelId) {
        return channelId != null && PATTERN.matcher(channelId).matches();
    }
}
