package io.rankforge.io;

import java.util.Collection;
import java.util.Locale;

/**
 * Names listed in a one-line message, capped: the first few, each shortened, then "and N more". A user's file can
 * name millions of layers, and the message must stay one readable line.
 */
public final class Listing {
    /** How many names a message lists before "and N more". */
    public static final int MAX_ITEMS = 10;
    /** How many characters of one name a message shows. */
    public static final int MAX_ITEM_CHARS = 80;

    private Listing() {}

    /** {@code items} joined with ", ", at most {@link #MAX_ITEMS} of them, each at most {@link #MAX_ITEM_CHARS}. */
    public static String of(Collection<String> items) {
        StringBuilder b = new StringBuilder();
        int shown = 0;
        for (String item : items) {
            if (shown == MAX_ITEMS) {
                break;
            }
            if (shown > 0) {
                b.append(", ");
            }
            b.append(shorten(item));
            shown++;
        }
        int more = items.size() - shown;
        if (more > 0) {
            b.append(String.format(Locale.ROOT, " and %,d more", more));
        }
        return b.toString();
    }

    /** One value shown in a message: at most {@link #MAX_ITEM_CHARS} characters, line breaks flattened. */
    public static String shorten(String item) {
        String s = item.replaceAll("\\s+", " ");
        return s.length() <= MAX_ITEM_CHARS ? s : s.substring(0, MAX_ITEM_CHARS - 3) + "...";
    }
}
