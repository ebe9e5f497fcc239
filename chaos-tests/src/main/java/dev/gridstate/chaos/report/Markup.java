package dev.gridstate.chaos.report;

/** Text made safe for HTML and XML: escaped, and without the control characters XML forbids. */
final class Markup {

    private Markup() {
    }

    /** The text as element content or a quoted attribute value; null gives "". */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // An error message may carry any byte; one stray control character would make the SVG unreadable.
                    if (c >= ' ' || c == '\n' || c == '\r' || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
