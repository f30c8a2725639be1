package dev.edapatterns.eventkit.errors;

/**
 * One bad input of a refused request, an element of a problem's {@code errors} member: {@code field} is the JSON path
 * of a body field ({@code items[0].unitPrice}) or the name of a parameter; {@code message} says what is accepted.
 */
public record FieldError(String field, String message) {
}
