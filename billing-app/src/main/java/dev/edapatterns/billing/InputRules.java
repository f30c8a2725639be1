package dev.edapatterns.billing;

/**
 * The fixed rules of values that arrive in more than one place (a body, a path, a query), as Bean Validation's
 * {@code @Pattern} takes them: one definition and one message each, so every endpoint says the same.
 */
public final class InputRules {

    /** A customer's userId is its email, so '@' and '.' are in; nothing that needs escaping in a path, a log line or a key. */
    public static final String USER_ID = "[A-Za-z0-9._@-]{1,64}";
    public static final String USER_ID_MESSAGE = "1-64 characters of letters, digits, '.', '_', '@' or '-'";

    /** A payment provider's card token (write-only everywhere; see contracts' CardTokens). */
    public static final String CARD_TOKEN = "[A-Za-z0-9._-]{1,128}";
    public static final String CARD_TOKEN_MESSAGE = "1-128 characters of letters, digits, '.', '_' or '-'";

    /** Free text shown to people: no C0/C1 controls, no Unicode format characters (bidi overrides, zero-width ones). */
    public static final String PRINTABLE = "[^\\p{Cc}\\p{Cf}]*";
    public static final String PRINTABLE_MESSAGE = "no control or formatting characters";

    private InputRules() {
    }
}
