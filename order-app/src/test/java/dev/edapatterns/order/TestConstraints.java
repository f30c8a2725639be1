package dev.edapatterns.order;

import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/** Bean Validation without Quarkus, for the unit tests of the request rules. */
public final class TestConstraints {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private TestConstraints() {
    }

    public static Validator validator() {
        return VALIDATOR;
    }

    /** The violated paths, sorted, as {@code toString} spells them ({@code items[0].qty}). */
    public static List<String> paths(Set<? extends ConstraintViolation<?>> violations) {
        return violations.stream().map(v -> v.getPropertyPath().toString()).sorted().toList();
    }

    public static List<String> paths(ConstraintViolationException e) {
        return paths(e.getConstraintViolations());
    }
}
