package dev.edapatterns.contracts;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The version of a message record's schema, written as the {@code schema-version} header on every record.
 * Bump it when fields are added; readers stay tolerant (unknown fields ignored, missing ones null).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SchemaVersion {
    int value();
}
