package dev.edapatterns.eventkit.errors;

/**
 * What an error detail may quote of a client's input: a short, single-line excerpt. An answer never grows with the
 * size of the request (a 1,000-column header or a megabyte field is not sent back), and control characters cannot
 * forge lines in logs or terminals.
 */
public final class Echo {

    /** Characters of client input a detail quotes at most. */
    public static final int MAX_QUOTED = 64;

    private Echo() {
    }

    public static String clip(String input) {
        return clip(input, MAX_QUOTED);
    }

    public static String clip(String input, int max) {
        if (input == null) {
            return "";
        }
        int end = Math.min(input.length(), max);
        if (end < input.length() && Character.isHighSurrogate(input.charAt(end - 1))) {
            end--; // never split a surrogate pair
        }
        StringBuilder out = new StringBuilder(end + 1);
        for (int i = 0; i < end; i++) {
            char c = input.charAt(i);
            out.append(Character.isISOControl(c) || isBidiControl(c) ? '\uFFFD' : c);
        }
        return end < input.length() ? out.append('\u2026').toString() : out.toString();
    }

    /** Bidirectional embedding, override and isolate controls: they can make a quoted value read differently. */
    public static boolean isBidiControl(int c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }
}
