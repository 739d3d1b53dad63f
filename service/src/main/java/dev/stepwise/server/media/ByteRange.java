package dev.stepwise.server.media;

/** Parses a single {@code Range: bytes=...} header (RFC 9110); several ranges are answered in full. */
final class ByteRange {

    static final long[] UNSATISFIABLE = new long[0];

    private ByteRange() {}

    /** {first, last} inclusive; null for "the whole blob"; {@link #UNSATISFIABLE} for a 416. */
    static long[] parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return null;
                }
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new long[] {Math.max(0, size - suffix), size - 1};
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first < 0 || (!b.isEmpty() && Long.parseLong(b) < first)) {
                return null;
            }
            if (first >= size) {
                return UNSATISFIABLE;
            }
            return new long[] {first, last};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
