package dev.stepwise.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Minimal JSON tree reading and writing on Jackson's streaming core (no databind).
 *
 * <p>Trees are plain Java objects: {@code Map<String, Object>} (insertion-ordered),
 * {@code List<Object>}, {@code String}, {@code Long}, {@code Double}, {@code BigInteger},
 * {@code BigDecimal}, {@code Boolean} and {@code null}.
 * Not API: may change without notice. Thread-safe.
 */
public final class Json {

    /** The shared factory; Jackson factories are thread-safe. */
    public static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {
    }

    /**
     * Opens a generator on a stream.
     *
     * @param out the stream; closed with the generator
     * @return the generator
     */
    public static JsonGenerator generator(OutputStream out) {
        return FACTORY.createGenerator(ObjectWriteContext.empty(), out);
    }

    /**
     * Parses a JSON document into a tree.
     *
     * @param in the stream to read
     * @return the tree
     * @throws IOException when the stream fails or is not JSON
     */
    public static Object read(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("empty JSON document");
            }
            return readValue(p, t);
        } catch (JacksonException e) {
            throw new IOException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Parses a JSON document held in bytes.
     *
     * @param bytes UTF-8 JSON
     * @return the tree
     * @throws IOException when the bytes are not JSON
     */
    public static Object read(byte[] bytes) throws IOException {
        return read(new java.io.ByteArrayInputStream(bytes));
    }

    private static Object readValue(JsonParser p, JsonToken t) {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    m.put(name, readValue(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(readValue(p, n));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getString();
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                    case LONG:
                        return p.getLongValue();
                    default:
                        return p.getNumberValue();
                }
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IllegalStateException("unexpected JSON token " + t);
        }
    }

    /**
     * Writes a tree as one JSON value.
     *
     * @param g the generator
     * @param value a tree as described in the class comment; other numbers and enums are accepted
     */
    public static void write(JsonGenerator g, Object value) {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String) {
            g.writeString((String) value);
        } else if (value instanceof Boolean) {
            g.writeBoolean((Boolean) value);
        } else if (value instanceof Double || value instanceof Float) {
            writeDouble(g, ((Number) value).doubleValue());
        } else if (value instanceof BigDecimal) {
            g.writeNumber((BigDecimal) value);
        } else if (value instanceof BigInteger) {
            g.writeNumber((BigInteger) value);
        } else if (value instanceof Number) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Map<?, ?>) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                g.writeName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Iterable<?>) {
            g.writeStartArray();
            for (Object o : (Iterable<?>) value) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (value instanceof Enum<?>) {
            g.writeString(((Enum<?>) value).name());
        } else {
            g.writeString(String.valueOf(value));
        }
    }

    /**
     * Writes a double as a JSON number, or as the sentinel string {@code "NaN"},
     * {@code "Infinity"} or {@code "-Infinity"} when it is not finite.
     *
     * @param g the generator
     * @param v the value
     */
    public static void writeDouble(JsonGenerator g, double v) {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeString(sentinel(v));
        }
    }

    /**
     * Returns the TrainLog sentinel for a non-finite double.
     *
     * @param v a NaN or infinite value
     * @return {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"}
     */
    public static String sentinel(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return v > 0 ? "Infinity" : "-Infinity";
    }

    /**
     * Converts a JSON value (number or sentinel string) to a double.
     *
     * @param v a tree value
     * @param where what is being read, for the error message
     * @return the double
     * @throws IllegalArgumentException when the value is neither a number nor a sentinel
     */
    public static double toDouble(Object v, String where) {
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof String) {
            switch ((String) v) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(where + ": expected a number or \"NaN\"/\"Infinity\"/\"-Infinity\", got "
                + (v == null ? "null" : "'" + v + "'"));
    }

    /**
     * Serializes a tree to UTF-8 bytes.
     *
     * @param value the tree
     * @return the JSON bytes
     */
    public static byte[] toBytes(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = generator(out)) {
            write(g, value);
        } catch (JacksonException e) {
            throw new UncheckedIOException(new IOException(e.getOriginalMessage(), e));
        }
        return out.toByteArray();
    }

    /**
     * Reads an object tree, failing clearly when the document is not a JSON object.
     *
     * @param bytes UTF-8 JSON
     * @return the object
     * @throws IOException when the bytes are not a JSON object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(byte[] bytes) throws IOException {
        Object o = read(bytes);
        if (!(o instanceof Map)) {
            throw new IOException("expected a JSON object");
        }
        return (Map<String, Object>) o;
    }
}
