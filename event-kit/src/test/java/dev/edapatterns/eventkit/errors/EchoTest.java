package dev.edapatterns.eventkit.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class EchoTest {

    @Test
    void shortInputIsQuotedAsIs() {
        assertEquals("+49 30 1234", Echo.clip("+49 30 1234"));
        assertEquals("", Echo.clip(null));
    }

    @Test
    void longInputIsCutWithAnEllipsis() {
        String quoted = Echo.clip("x".repeat(10_000));
        assertEquals(Echo.MAX_QUOTED + 1, quoted.length());
        assertEquals('\u2026', quoted.charAt(Echo.MAX_QUOTED));
    }

    @Test
    void controlAndBidiCharactersCannotForgeLinesOrReorderText() {
        assertEquals("a\uFFFDb\uFFFDc\uFFFDd", Echo.clip("a\nb\u0000c\u202Ed"));
    }

    @Test
    void aSurrogatePairIsNeverSplit() {
        String emoji = "\uD83D\uDE00";
        assertEquals("x".repeat(3) + "\u2026", Echo.clip("xxx" + emoji, 4));
    }

    @Test
    void aProblemDetailIsAtMost300Characters() {
        Problem p = new Problem("about:blank", "Bad Request", 400, "d".repeat(5000), null, null);
        assertEquals(Problem.MAX_DETAIL, p.detail().length());
    }
}
