package dev.edapatterns.billing.subscriptions;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * At most {@link #max()} decimals that mean something: {@code 9.990} has two ({@code @Digits} would count three, as
 * Hibernate Validator does not strip a BigDecimal's trailing zeros). Null is valid. The strict request reader bounds
 * the exponent, so stripping the zeros is cheap.
 */
@Documented
@Constraint(validatedBy = Decimals.Validator.class)
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface Decimals {

    int max();

    String message();

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<Decimals, BigDecimal> {
        private int max;

        @Override
        public void initialize(Decimals annotation) {
            max = annotation.max();
        }

        @Override
        public boolean isValid(BigDecimal value, ConstraintValidatorContext context) {
            return value == null || value.stripTrailingZeros().scale() <= max;
        }
    }
}
