package dev.stepwise.server.mlflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * MLflow's {@code runs/search} filter language, parsed: clauses joined by {@code AND}, each
 * {@code <entity>.<key> <op> <value>} with entity {@code metrics}, {@code params}, {@code tags} or
 * {@code attributes} (and their singular/short forms), op one of {@code = != < <= > >= LIKE ILIKE
 * IN NOT IN}, values quoted strings, numbers or parenthesised lists. Parsing never builds SQL.
 */
record RunFilter(List<Clause> clauses) {

    enum Entity { METRIC, PARAM, TAG, ATTRIBUTE }

    enum Op {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), LIKE("LIKE"), ILIKE("ILIKE"), IN("IN"), NOT_IN("NOT IN");

        final String text;

        Op(String text) {
            this.text = text;
        }

        boolean numeric() {
            return this == LT || this == LE || this == GT || this == GE;
        }
    }

    /** One comparison. {@code values} holds one value, or the list of an IN / NOT IN. */
    record Clause(Entity entity, String key, Op op, List<String> values, boolean numericValue) {
        String value() {
            return values.get(0);
        }
    }

    static final List<String> ATTRIBUTES = List.of("status", "run_name", "run_id", "user_id", "start_time",
            "end_time", "lifecycle_stage");
    static final List<String> NUMERIC_ATTRIBUTES = List.of("start_time", "end_time", "creation_time",
            "last_update_time");
    /** Attributes of experiments/search filters, where a bare key is an attribute. */
    static final List<String> EXPERIMENT_ATTRIBUTES = List.of("name", "creation_time", "last_update_time");

    private static final Pattern NUMBER = Pattern.compile("^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$");

    static RunFilter parse(String filter) {
        return parse(filter, false);
    }

    /** Parses an {@code experiments/search} filter: attributes name, creation_time, last_update_time, and tags. */
    static RunFilter parseExperimentFilter(String filter) {
        return parse(filter, true);
    }

    private static RunFilter parse(String filter, boolean experiments) {
        if (filter == null || filter.isBlank()) {
            return new RunFilter(List.of());
        }
        return new Parser(Tokenizer.tokens(filter), experiments).parse();
    }

    private enum Kind { WORD, QUOTED, BACKTICKED, OP, LPAREN, RPAREN, COMMA }

    private record Token(Kind kind, String text) {}

    private static final class Tokenizer {
        static List<Token> tokens(String s) {
            List<Token> tokens = new ArrayList<>();
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '\'' || c == '"' || c == '`') {
                    StringBuilder sb = new StringBuilder();
                    int j = i + 1;
                    while (true) {
                        if (j >= s.length()) {
                            throw invalid("unterminated quote starting at position " + i);
                        }
                        char d = s.charAt(j);
                        if (d == c && j + 1 < s.length() && s.charAt(j + 1) == c) {
                            sb.append(c);
                            j += 2;
                        } else if (d == '\\' && j + 1 < s.length()) {
                            sb.append(s.charAt(j + 1));
                            j += 2;
                        } else if (d == c) {
                            break;
                        } else {
                            sb.append(d);
                            j++;
                        }
                    }
                    tokens.add(new Token(c == '`' ? Kind.BACKTICKED : Kind.QUOTED, sb.toString()));
                    i = j + 1;
                } else if (c == '(' || c == ')' || c == ',') {
                    tokens.add(new Token(c == '(' ? Kind.LPAREN : c == ')' ? Kind.RPAREN : Kind.COMMA, String.valueOf(c)));
                    i++;
                } else if (c == '=' || c == '!' || c == '<' || c == '>') {
                    String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                    if (two.equals("!=") || two.equals("<=") || two.equals(">=") || two.equals("==") || two.equals("<>")) {
                        tokens.add(new Token(Kind.OP, two.equals("==") ? "=" : two.equals("<>") ? "!=" : two));
                        i += 2;
                    } else if (c == '!') {
                        throw invalid("unexpected '!' at position " + i);
                    } else {
                        tokens.add(new Token(Kind.OP, String.valueOf(c)));
                        i++;
                    }
                } else {
                    int j = i;
                    while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "()=!<>,'\"`".indexOf(s.charAt(j)) < 0) {
                        j++;
                    }
                    tokens.add(new Token(Kind.WORD, s.substring(i, j)));
                    i = j;
                }
            }
            return tokens;
        }
    }

    private static final class Parser {
        private final List<Token> tokens;
        private final boolean experiments;
        private int pos;

        Parser(List<Token> tokens, boolean experiments) {
            this.tokens = tokens;
            this.experiments = experiments;
        }

        RunFilter parse() {
            List<Clause> clauses = new ArrayList<>();
            clauses.add(clause());
            while (pos < tokens.size()) {
                Token and = next("AND");
                if (and.kind() != Kind.WORD || !and.text().equalsIgnoreCase("and")) {
                    throw invalid("expected AND between comparisons, found '" + and.text() + "'"
                            + (and.text().equalsIgnoreCase("or") ? " (OR is not supported, as in MLflow)" : ""));
                }
                clauses.add(clause());
            }
            return new RunFilter(List.copyOf(clauses));
        }

        private Clause clause() {
            Token first = next("a key such as metrics.loss");
            if (first.kind() != Kind.WORD) {
                throw invalid("expected a key such as metrics.loss, found '" + first.text() + "'");
            }
            String word = first.text();
            if (experiments && !word.contains(".")) {
                word = "attributes." + word;
            }
            int dot = word.indexOf('.');
            if (dot < 0) {
                throw invalid("'" + word + "' needs an entity prefix: metrics., params., tags. or attributes.");
            }
            Entity entity = entity(word.substring(0, dot));
            String key = word.substring(dot + 1);
            if (key.isEmpty()) {
                Token quoted = next("a key");
                if (quoted.kind() != Kind.QUOTED && quoted.kind() != Kind.BACKTICKED) {
                    throw invalid("expected a key after '" + word + "'");
                }
                key = quoted.text();
            }
            if (key.isEmpty()) {
                throw invalid("empty key after '" + word + "'");
            }
            if (experiments && (entity == Entity.METRIC || entity == Entity.PARAM)) {
                throw invalid("experiments are filtered by name, creation_time, last_update_time and tags");
            }
            if (entity == Entity.ATTRIBUTE) {
                key = experiments ? experimentAttribute(key) : attribute(key);
            }
            Op op = op();
            List<String> values = new ArrayList<>();
            boolean numeric;
            if (op == Op.IN || op == Op.NOT_IN) {
                expect(Kind.LPAREN, "'(' after " + op.text);
                do {
                    Token v = next("a quoted value");
                    if (v.kind() != Kind.QUOTED) {
                        throw invalid(op.text + " takes a list of quoted strings, found '" + v.text() + "'");
                    }
                    values.add(v.text());
                    Token sep = next("',' or ')'");
                    if (sep.kind() == Kind.RPAREN) {
                        break;
                    }
                    if (sep.kind() != Kind.COMMA) {
                        throw invalid("expected ',' or ')' in the " + op.text + " list, found '" + sep.text() + "'");
                    }
                } while (true);
                numeric = false;
            } else {
                Token v = next("a value");
                if (v.kind() == Kind.QUOTED) {
                    numeric = false;
                } else if (v.kind() == Kind.WORD && NUMBER.matcher(v.text()).matches()) {
                    numeric = true;
                } else {
                    throw invalid("value '" + v.text() + "' must be a quoted string or a number");
                }
                values.add(v.text());
            }
            Clause clause = new Clause(entity, key, op, List.copyOf(values), numeric);
            check(clause);
            return clause;
        }

        private Op op() {
            Token t = next("a comparison operator");
            if (t.kind() == Kind.OP) {
                return switch (t.text()) {
                    case "=" -> Op.EQ;
                    case "!=" -> Op.NE;
                    case "<" -> Op.LT;
                    case "<=" -> Op.LE;
                    case ">" -> Op.GT;
                    default -> Op.GE;
                };
            }
            if (t.kind() == Kind.WORD) {
                switch (t.text().toUpperCase(Locale.ROOT)) {
                    case "LIKE": return Op.LIKE;
                    case "ILIKE": return Op.ILIKE;
                    case "IN": return Op.IN;
                    case "NOT":
                        Token in = next("IN");
                        if (in.kind() == Kind.WORD && in.text().equalsIgnoreCase("in")) {
                            return Op.NOT_IN;
                        }
                        throw invalid("expected IN after NOT");
                    default: break;
                }
            }
            throw invalid("'" + t.text() + "' is not a comparison operator (= != < <= > >= LIKE ILIKE IN NOT IN)");
        }

        private static void check(Clause c) {
            boolean numericKey = c.entity() == Entity.METRIC
                    || (c.entity() == Entity.ATTRIBUTE && NUMERIC_ATTRIBUTES.contains(c.key()));
            if (numericKey) {
                if (!c.numericValue() || c.op() == Op.LIKE || c.op() == Op.ILIKE || c.op() == Op.IN
                        || c.op() == Op.NOT_IN) {
                    throw invalid("'" + prefix(c) + "' compares numbers: use = != < <= > >= with a number");
                }
            } else {
                if (c.op().numeric() && c.entity() != Entity.ATTRIBUTE) {
                    throw invalid("'" + prefix(c) + "' compares strings: use = != LIKE ILIKE IN NOT IN");
                }
                if (c.numericValue()) {
                    throw invalid("the value for '" + prefix(c) + "' must be a quoted string");
                }
            }
        }

        private static String prefix(Clause c) {
            return c.entity().name().toLowerCase(Locale.ROOT) + "s." + c.key();
        }

        private Token next(String what) {
            if (pos >= tokens.size()) {
                throw invalid("expected " + what + " at the end of the filter");
            }
            return tokens.get(pos++);
        }

        private void expect(Kind kind, String what) {
            if (next(what).kind() != kind) {
                throw invalid("expected " + what);
            }
        }
    }

    private static Entity entity(String prefix) {
        return switch (prefix.toLowerCase(Locale.ROOT)) {
            case "metric", "metrics" -> Entity.METRIC;
            case "param", "params", "parameter", "parameters" -> Entity.PARAM;
            case "tag", "tags" -> Entity.TAG;
            case "attribute", "attributes", "attr", "run" -> Entity.ATTRIBUTE;
            default -> throw invalid("unknown entity '" + prefix + "': use metrics., params., tags. or attributes.");
        };
    }

    private static String attribute(String key) {
        String k = switch (key) {
            case "run_uuid", "id" -> "run_id";
            case "name", "runName" -> "run_name";
            case "created", "Created" -> "start_time";
            default -> key;
        };
        if (!ATTRIBUTES.contains(k)) {
            throw invalid("unknown attribute '" + key + "'; searchable attributes are " + ATTRIBUTES);
        }
        return k;
    }

    private static String experimentAttribute(String key) {
        if (!EXPERIMENT_ATTRIBUTES.contains(key)) {
            throw invalid("unknown experiment attribute '" + key + "'; searchable attributes are " + EXPERIMENT_ATTRIBUTES);
        }
        return key;
    }

    static MlflowException invalid(String message) {
        return MlflowException.invalid("Invalid filter: " + message);
    }
}
