package dev.stepwise.server.mlflow;

import dev.stepwise.server.web.PayloadTooLargeException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One MLflow request: the JSON body (POST) and the query parameters (GET) read as one set of
 * fields, the way MLflow's server does. Unknown fields are ignored; numbers may come as JSON
 * numbers or strings; {@code run_uuid} stands for {@code run_id}.
 */
final class MlflowRequest {

    private static final Pattern HEX_ID = Pattern.compile("^[0-9a-fA-F]{32}$");

    private final ObjectNode fields;

    private MlflowRequest(ObjectNode fields) {
        this.fields = fields;
    }

    static MlflowRequest read(HttpServletRequest request, JsonMapper json) {
        ObjectNode fields = json.createObjectNode();
        for (Map.Entry<String, String[]> param : request.getParameterMap().entrySet()) {
            String[] values = param.getValue();
            if (values.length == 1) {
                fields.put(param.getKey(), values[0]);
            } else {
                var array = fields.putArray(param.getKey());
                for (String v : values) {
                    array.add(v);
                }
            }
        }
        try (InputStream raw = request.getInputStream()) {
            PushbackInputStream in = new PushbackInputStream(raw, 1);
            int first = in.read();
            if (first != -1) {
                in.unread(first);
                JsonNode body = json.readTree(in);
                if (body != null && body.isObject()) {
                    fields.setAll((ObjectNode) body);
                } else if (body != null && !body.isMissingNode() && !body.isNull()) {
                    throw new MlflowException(MlflowException.Code.MALFORMED_REQUEST, "The request body must be a JSON object");
                }
            }
        } catch (JacksonException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof PayloadTooLargeException tooLarge) {
                    throw MlflowException.invalid("The request body is too large: " + tooLarge.getMessage());
                }
            }
            throw new MlflowException(MlflowException.Code.MALFORMED_REQUEST, "The request body is not valid JSON");
        } catch (PayloadTooLargeException e) {
            throw MlflowException.invalid("The request body is too large: " + e.getMessage());
        } catch (IOException e) {
            throw new MlflowException(MlflowException.Code.MALFORMED_REQUEST, "The request body could not be read");
        }
        return new MlflowRequest(fields);
    }

    static MlflowRequest of(ObjectNode fields) {
        return new MlflowRequest(fields);
    }

    JsonNode node(String name) {
        JsonNode n = fields.get(name);
        return n == null || n.isNull() ? null : n;
    }

    /** A string field (numbers are turned into their text), or null. */
    String string(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return null;
        }
        if (n.isString()) {
            return n.asString();
        }
        if (n.isNumber() || n.isBoolean()) {
            return n.asString();
        }
        throw MlflowException.invalid("Invalid value for parameter '" + name + "': expected a string");
    }

    String required(String name) {
        String value = string(name);
        if (value == null || value.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter '" + name + "'");
        }
        return value;
    }

    Long longValue(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isString() && !n.asString().isEmpty()) {
            try {
                return Long.parseLong(n.asString().trim());
            } catch (NumberFormatException e) {
                // answered below
            }
        }
        if (n.isString() && n.asString().isEmpty()) {
            return null;
        }
        throw MlflowException.invalid("Invalid value for parameter '" + name + "': expected an integer");
    }

    /** An integer field within {@code 1..max}, or {@code fallback} when absent. */
    int limit(String name, int fallback, int max) {
        Long value = longValue(name);
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > max) {
            throw MlflowException.invalid("Invalid value " + value + " for parameter '" + name
                    + "': it must be at most " + max + " and at least 1");
        }
        return value.intValue();
    }

    /** A metric value: a JSON number or one of "NaN", "Infinity", "-Infinity" (or a numeric string). */
    static double metricValue(JsonNode n, String name) {
        if (n != null && n.isNumber()) {
            return n.asDouble();
        }
        if (n != null && n.isString()) {
            String s = n.asString().trim();
            switch (s) {
                case "NaN", "nan": return Double.NaN;
                case "Infinity", "inf", "+Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity", "-inf": return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        break;
                    }
            }
        }
        throw MlflowException.invalid("Invalid value for parameter '" + name + "': expected a number");
    }

    /** A list of strings: a JSON array, a repeated query parameter, or a single value. */
    List<String> strings(String name) {
        JsonNode n = node(name);
        List<String> result = new ArrayList<>();
        if (n == null) {
            return result;
        }
        if (n.isArray()) {
            for (JsonNode item : n) {
                if (!item.isString() && !item.isNumber()) {
                    throw MlflowException.invalid("Invalid value for parameter '" + name + "': expected strings");
                }
                result.add(item.asString());
            }
        } else {
            result.add(string(name));
        }
        return result;
    }

    /** A list of objects (metrics, params, tags); absent means empty. */
    List<MlflowRequest> objects(String name) {
        JsonNode n = node(name);
        List<MlflowRequest> result = new ArrayList<>();
        if (n == null) {
            return result;
        }
        if (!n.isArray()) {
            throw MlflowException.invalid("Invalid value for parameter '" + name + "': expected an array");
        }
        for (JsonNode item : n) {
            if (!item.isObject()) {
                throw MlflowException.invalid("Invalid value for parameter '" + name + "': expected objects");
            }
            result.add(new MlflowRequest((ObjectNode) item));
        }
        return result;
    }

    /** The run named by {@code run_id} or, as older clients send it, {@code run_uuid}. */
    UUID runId() {
        String id = string("run_id");
        if (id == null || id.isEmpty()) {
            id = string("run_uuid");
        }
        if (id == null || id.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'run_id'");
        }
        return parseRunId(id);
    }

    /** A run id as MLflow writes it (32 hex digits) or as Stepwise does (a UUID with dashes). */
    static UUID parseRunId(String id) {
        String s = id.trim();
        if (HEX_ID.matcher(s).matches()) {
            s = s.substring(0, 8) + "-" + s.substring(8, 12) + "-" + s.substring(12, 16) + "-" + s.substring(16, 20)
                    + "-" + s.substring(20);
        }
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw MlflowException.notFound("Run '" + id + "' not found");
        }
    }
}
