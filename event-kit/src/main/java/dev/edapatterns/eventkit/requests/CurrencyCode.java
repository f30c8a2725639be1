package dev.edapatterns.eventkit.requests;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * An ISO 4217 currency code the JDK knows ({@code EUR}; with {@code ignoreCase}, {@code eur} too); null is valid (add
 * {@code @NotNull}). The length is checked before the lookup, so a long string costs nothing.
 */
@Documented
@Constraint(validatedBy = CurrencyCode.Validator.class)
@Target({ FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE })
@Retention(RUNTIME)
public @interface CurrencyCode {

    String message() default "Not an ISO 4217 currency code (e.g. EUR).";

    /** Accept lower-case codes (the caller normalises them). */
    boolean ignoreCase() default false;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<CurrencyCode, String> {

        private static final Set<String> CODES = Currency.getAvailableCurrencies().stream()
                .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

        private boolean ignoreCase;

        @Override
        public void initialize(CurrencyCode annotation) {
            ignoreCase = annotation.ignoreCase();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null
                    || value.length() == 3 && CODES.contains(ignoreCase ? value.toUpperCase(Locale.ROOT) : value);
        }
    }
}
