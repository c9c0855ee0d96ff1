package dev.privseg.core.segment.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recursive-descent parser for segment rules:
 *
 * <pre>
 * rule    := or
 * or      := and ("or" and)*
 * and     := unary ("and" unary)*
 * unary   := "not" unary | primary
 * primary := "(" or ")"
 *          | field ("=" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=") (number | 'text')
 *          | field ["not"] "in" "(" value ("," value)* ")"
 *          | field "is" ["not"] "missing"
 * field   := name | `any name`
 * </pre>
 *
 * Keywords are case-insensitive; text is single-quoted ({@code ''} for a quote). A date or
 * timestamp field compares with an ISO-8601 text ({@code last_order >= '2025-07-01'}); other
 * text compares with {@code =}, {@code !=} and {@code in} only. Errors name the segment, the
 * position and what was expected.
 */
final class RuleParser {
  private final String segment;
  private final String text;
  private final List<Token> tokens;
  private int at;

  private enum Kind { WORD, FIELD, NUMBER, TEXT, OP, LPAREN, RPAREN, COMMA, END }

  private record Token(Kind kind, String value, int position) {}

  private RuleParser(String segment, String text) {
    this.segment = segment;
    this.text = text;
    this.tokens = lex();
  }

  static Predicate parse(String segment, String text) {
    RuleParser p = new RuleParser(segment, text);
    Predicate result = p.or();
    p.expect(Kind.END, "the end of the rule");
    return result;
  }

  private RuleSyntaxException error(String expected, int position) {
    String shown = text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "...";
    return new RuleSyntaxException("segment '" + segment + "': expected " + expected
        + " at position " + (position + 1) + " of rule \"" + shown + "\"");
  }

  /** A rule's text is quoted in errors up to this length. */
  private static final int MAX_QUOTED = 120;
  /** Parentheses and 'not's nest at most this deep: deeper would only exhaust the stack. */
  static final int MAX_DEPTH = 64;
  private int depth;

  private void deeper(int position) {
    if (++depth > MAX_DEPTH) {
      throw new RuleSyntaxException("segment '" + segment + "': parentheses and 'not' nest "
          + "deeper than " + MAX_DEPTH + " at position " + (position + 1) + " of its rule");
    }
  }

  private List<Token> lex() {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(') {
        out.add(new Token(Kind.LPAREN, "(", i++));
      } else if (c == ')') {
        out.add(new Token(Kind.RPAREN, ")", i++));
      } else if (c == ',') {
        out.add(new Token(Kind.COMMA, ",", i++));
      } else if (c == '=' || c == '<' || c == '>' || c == '!') {
        int start = i++;
        if (i < n && text.charAt(i) == '=') {
          i++;
        }
        String op = text.substring(start, i);
        if (op.equals("!")) {
          throw error("'!='", start);
        }
        out.add(new Token(Kind.OP, op, start));
      } else if (c == '\'') {
        int start = i++;
        StringBuilder sb = new StringBuilder();
        while (true) {
          if (i >= n) {
            throw error("a closing quote", start);
          }
          char d = text.charAt(i++);
          if (d == '\'') {
            if (i < n && text.charAt(i) == '\'') {
              sb.append('\'');
              i++;
            } else {
              break;
            }
          } else {
            sb.append(d);
          }
        }
        out.add(new Token(Kind.TEXT, sb.toString(), start));
      } else if (c == '`') {
        int start = i++;
        int close = text.indexOf('`', i);
        if (close < 0) {
          throw error("a closing backtick", start);
        }
        out.add(new Token(Kind.FIELD, text.substring(i, close), start));
        i = close + 1;
      } else if (Character.isDigit(c) || c == '-' || c == '.') {
        int start = i++;
        while (i < n && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
          i++;
        }
        out.add(new Token(Kind.NUMBER, text.substring(start, i), start));
      } else if (Character.isLetter(c) || c == '_') {
        int start = i++;
        while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
            || text.charAt(i) == '.')) {
          i++;
        }
        out.add(new Token(Kind.WORD, text.substring(start, i), start));
      } else {
        throw error("a field, value, operator or parenthesis", i);
      }
    }
    out.add(new Token(Kind.END, "", n));
    return out;
  }

  private Token peek() {
    return tokens.get(at);
  }

  private boolean keyword(String word) {
    Token t = peek();
    if (t.kind() == Kind.WORD && t.value().toLowerCase(Locale.ROOT).equals(word)) {
      at++;
      return true;
    }
    return false;
  }

  private Token expect(Kind kind, String what) {
    Token t = peek();
    if (t.kind() != kind) {
      throw error(what, t.position());
    }
    at++;
    return t;
  }

  private Predicate or() {
    Predicate left = and();
    while (keyword("or")) {
      left = new Predicate.Or(left, and());
    }
    return left;
  }

  private Predicate and() {
    Predicate left = unary();
    while (keyword("and")) {
      left = new Predicate.And(left, unary());
    }
    return left;
  }

  private Predicate unary() {
    int position = peek().position();
    if (keyword("not")) {
      deeper(position);
      Predicate negated = new Predicate.Not(unary());
      depth--;
      return negated;
    }
    return primary();
  }

  private Predicate primary() {
    if (peek().kind() == Kind.LPAREN) {
      deeper(peek().position());
      at++;
      Predicate inner = or();
      expect(Kind.RPAREN, "')'");
      depth--;
      return inner;
    }
    Token field = peek();
    if (field.kind() != Kind.WORD && field.kind() != Kind.FIELD) {
      throw error("a field name or '('", field.position());
    }
    at++;
    String name = field.value();
    if (keyword("is")) {
      boolean not = keyword("not");
      if (!keyword("missing")) {
        throw error("'missing'", peek().position());
      }
      return new Predicate.Missing(name, !not);
    }
    boolean negated = keyword("not");
    if (keyword("in")) {
      return new Predicate.Labels(name, list(), negated);
    }
    if (negated) {
      throw error("'in' after 'not'", peek().position());
    }
    Token op = expect(Kind.OP, "an operator (=, !=, <, <=, >, >=), 'in' or 'is'");
    Token value = peek();
    if (value.kind() == Kind.NUMBER) {
      at++;
      try {
        return new Predicate.Compare(name, op.value(), Double.parseDouble(value.value()));
      } catch (NumberFormatException e) {
        throw error("a number", value.position());
      }
    }
    if (value.kind() == Kind.TEXT) {
      at++;
      if (!op.value().equals("=") && !op.value().equals("!=")) {
        // Only a date or timestamp field orders by text; which it is, binding will tell.
        return new Predicate.Chronological(name, op.value(), value.value());
      }
      return new Predicate.Labels(name, Set.of(value.value()), op.value().equals("!="));
    }
    throw error("a number or 'text' after '" + op.value() + "'", value.position());
  }

  private Set<String> list() {
    expect(Kind.LPAREN, "'(' after 'in'");
    Set<String> values = new LinkedHashSet<>();
    do {
      Token v = peek();
      if (v.kind() != Kind.TEXT && v.kind() != Kind.NUMBER) {
        throw error("a value in the list", v.position());
      }
      at++;
      values.add(v.value());
    } while (peek().kind() == Kind.COMMA && at++ >= 0);
    expect(Kind.RPAREN, "')' to close the list");
    return values;
  }
}
