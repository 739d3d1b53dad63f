package dev.stepwise.client.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One encoded rich item, ready to upload: the fields of a {@code POST …/media} item plus, for
 * images, audio and video, the blob bytes with their type and SHA-256 (the blob's address).
 * Not API: may change without notice. Immutable once built; the blob array is never changed.
 *
 * @param key the key
 * @param step the step
 * @param epoch the epoch, or -1
 * @param timeMillis the time logged
 * @param type {@code image}, {@code audio}, {@code video}, {@code text}, {@code histogram},
 *             {@code point_cloud}, {@code graph}, {@code confusion_matrix} or {@code table}
 * @param data the type's {@code data} object
 * @param blob the blob bytes, or {@code null}
 * @param contentType the blob's type, or {@code null}
 * @param sha256 the blob's SHA-256 in lower-case hex, or {@code null}
 */
public record MediaItem(String key, long step, long epoch, long timeMillis, String type, Map<String, Object> data,
                        byte[] blob, String contentType, String sha256) {

    /**
     * An item without a blob.
     *
     * @param key the key
     * @param step the step
     * @param epoch the epoch, or -1
     * @param timeMillis the time
     * @param type the type
     * @param data the data
     * @return the item
     */
    public static MediaItem of(String key, long step, long epoch, long timeMillis, String type, Map<String, Object> data) {
        return new MediaItem(key, step, epoch, timeMillis, type, data, null, null, null);
    }

    /**
     * An item with a blob, addressed by its SHA-256.
     *
     * @param key the key
     * @param step the step
     * @param epoch the epoch, or -1
     * @param timeMillis the time
     * @param type the type
     * @param data the data
     * @param blob the bytes
     * @param contentType their type
     * @return the item
     */
    public static MediaItem withBlob(String key, long step, long epoch, long timeMillis, String type,
            Map<String, Object> data, byte[] blob, String contentType) {
        return new MediaItem(key, step, epoch, timeMillis, type, data, blob, contentType, sha256(blob));
    }

    /** @return the lower-case hex SHA-256 of the bytes */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the item as an element of {@code items} in a media upload */
    Map<String, Object> toRequest() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("step", step);
        if (epoch >= 0) {
            m.put("epoch", epoch);
        }
        m.put("time", timeMillis);
        m.put("type", type);
        if (sha256 != null) {
            m.put("blob", sha256);
        }
        m.put("data", data);
        return m;
    }

    /**
     * Reads back an item from its request form and blob (the spool's copy).
     *
     * @param m the request form
     * @param contentType the blob's type, or {@code null}
     * @param blob the blob, or {@code null}
     * @return the item
     */
    @SuppressWarnings("unchecked")
    static MediaItem fromRequest(Map<String, Object> m, String contentType, byte[] blob) {
        Object epoch = m.get("epoch");
        Object data = m.get("data");
        return new MediaItem((String) m.get("key"), ((Number) m.get("step")).longValue(),
                epoch == null ? -1 : ((Number) epoch).longValue(), ((Number) m.get("time")).longValue(),
                (String) m.get("type"), data instanceof Map ? (Map<String, Object>) data : Map.of(), blob,
                contentType, (String) m.get("blob"));
    }

    /** @return bytes this item holds in memory, roughly */
    long weight() {
        return (blob == null ? 0 : blob.length) + 256;
    }
}
