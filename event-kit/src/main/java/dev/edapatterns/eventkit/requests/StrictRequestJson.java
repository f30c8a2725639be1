package dev.edapatterns.eventkit.requests;

import java.io.IOException;
import java.math.BigDecimal;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * How every app reads an HTTP request body: strictly. Quarkus REST reads bodies with the mapper this customizes, and a
 * resource that parses a body by hand injects that same mapper; Kafka records keep their own, tolerant reader
 * ({@code contracts.Json}) so that old and new producers can overlap.
 * <p>
 * Refused with 400 before any resource code runs: anything after the JSON value, a key given twice, a number where a
 * string is expected (or the reverse), a fraction where an integer is expected, {@code NaN}/{@code Infinity} in any
 * spelling (and numbers too large for a double), number literals over {@value #MAX_NUMBER_LENGTH} characters, decimals
 * with an exponent beyond ±{@value #MAX_DECIMAL_SCALE}, strings over 1 MiB and nesting deeper than
 * {@value #MAX_NESTING}. Each keeps the cost of reading a hostile body proportional to the body's size limit.
 */
@Singleton
public class StrictRequestJson implements ObjectMapperCustomizer {

    static final int MAX_NUMBER_LENGTH = 100;
    static final int MAX_DECIMAL_SCALE = 64;
    static final int MAX_STRING_LENGTH = 1 << 20;
    static final int MAX_NESTING = 32;

    @Override
    public void customize(ObjectMapper mapper) {
        apply(mapper);
    }

    @SuppressWarnings("deprecation") // MapperFeature on a built mapper: Quarkus hands us the mapper, not a builder
    public static ObjectMapper apply(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNumberLength(MAX_NUMBER_LENGTH).maxStringLength(MAX_STRING_LENGTH).maxNestingDepth(MAX_NESTING)
                .build());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS, DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        // every scalar from any other JSON scalar fails, except an integer literal where a decimal is expected
        fail(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean);
        fail(mapper, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.Float, CoercionInputShape.Boolean);
        fail(mapper, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.Boolean);
        fail(mapper, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer, CoercionInputShape.Float);
        mapper.registerModule(new SimpleModule("strict-request-numbers")
                .addDeserializer(Double.class, new FiniteDouble(Double.class, null))
                .addDeserializer(double.class, new FiniteDouble(double.class, 0d))
                .addDeserializer(BigDecimal.class, new BoundedDecimal()));
        return mapper;
    }

    private static void fail(ObjectMapper mapper, LogicalType target, CoercionInputShape... from) {
        for (CoercionInputShape shape : from) {
            mapper.coercionConfigFor(target).setCoercion(shape, CoercionAction.Fail);
        }
    }

    /** A double that is a number: {@code 1e400} would otherwise silently become Infinity. */
    static final class FiniteDouble extends NumberDeserializers.DoubleDeserializer {
        FiniteDouble(Class<Double> type, Double whenNull) {
            super(type, whenNull);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Double value = super.deserialize(p, ctxt);
            if (value != null && !Double.isFinite(value)) {
                return (Double) ctxt.handleWeirdNumberValue(Double.class, value, "not a finite number");
            }
            return value;
        }
    }

    /**
     * A decimal whose exponent is bounded: {@code 1e100000000} is cheap to read but makes the first arithmetic on it
     * (or its plain-string form) allocate hundreds of megabytes.
     */
    static final class BoundedDecimal extends NumberDeserializers.BigDecimalDeserializer {
        @Override
        public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            BigDecimal value = super.deserialize(p, ctxt);
            if (value != null && Math.abs((long) value.scale()) > MAX_DECIMAL_SCALE) {
                return (BigDecimal) ctxt.handleWeirdNumberValue(BigDecimal.class, value, "exponent out of range");
            }
            return value;
        }
    }
}
