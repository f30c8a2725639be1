package dev.edapatterns.importapp.jobs;

/** Stand-in for event-kit's Echo until the bounds foundation lands on main (then removed). */
final class Echo {
    private Echo() {
    }

    static String clip(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return s.length() > 64 ? b + "…" : b.toString();
    }
}
