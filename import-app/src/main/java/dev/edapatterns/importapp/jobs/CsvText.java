package dev.edapatterns.importapp.jobs;

/**
 * Which characters a stored CSV value may not contain. Tab and line breaks are allowed (a quoted name may span lines);
 * every other C0 control character, DEL, the C1 controls, and the bidi embeddings, overrides and isolates (U+202A..U+202E,
 * U+2066..U+2069, which can make a value display differently from what it is) are not. Anything else, a leading '+'
 * included, is kept as it is.
 */
final class CsvText {

    private CsvText() {
    }

    /** What is wrong with {@code value} in a few words, or null when it may be stored. */
    static String hostileCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return "a NUL character";
            }
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F)) {
                return "a control character";
            }
            if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) {
                return "a bidirectional override character";
            }
        }
        return null;
    }
}
