package dev.stepwise.server.media;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The item types of rich run data and the blob content types each of them accepts. */
public enum ItemType {
    IMAGE("image", Set.of("image/png", "image/jpeg", "image/webp", "image/gif")),
    AUDIO("audio", Set.of("audio/wav", "audio/mpeg", "audio/ogg", "audio/flac")),
    VIDEO("video", Set.of("video/mp4", "video/webm", "image/gif")),
    TEXT("text", Set.of()),
    HISTOGRAM("histogram", Set.of()),
    POINT_CLOUD("point_cloud", Set.of()),
    GRAPH("graph", Set.of()),
    CONFUSION_MATRIX("confusion_matrix", Set.of()),
    TABLE("table", Set.of());

    /** Other spellings of allowed types, stored under the canonical name. */
    private static final Map<String, String> ALIASES = Map.of("audio/x-wav", "audio/wav", "audio/wave", "audio/wav",
            "audio/vnd.wave", "audio/wav", "audio/x-flac", "audio/flac", "image/jpg", "image/jpeg", "audio/mp3",
            "audio/mpeg");

    private final String wire;
    private final Set<String> blobTypes;

    ItemType(String wire, Set<String> blobTypes) {
        this.wire = wire;
        this.blobTypes = blobTypes;
    }

    /** The name used in the API, e.g. {@code point_cloud}. */
    public String wire() {
        return wire;
    }

    public boolean hasBlob() {
        return !blobTypes.isEmpty();
    }

    public boolean accepts(String contentType) {
        return blobTypes.contains(contentType);
    }

    public static Optional<ItemType> fromWire(String wire) {
        for (ItemType t : values()) {
            if (t.wire.equals(wire)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The canonical content type (lower case, without parameters, aliases resolved) when some
     * media type allows it; empty otherwise (SVG, HTML, anything unknown).
     */
    public static Optional<String> allowedBlobType(String contentType) {
        String canonical = canonical(contentType);
        for (ItemType t : values()) {
            if (t.blobTypes.contains(canonical)) {
                return Optional.of(canonical);
            }
        }
        return Optional.empty();
    }

    static String canonical(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        String bare = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return ALIASES.getOrDefault(bare, bare);
    }
}
