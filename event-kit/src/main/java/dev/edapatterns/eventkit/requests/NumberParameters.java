package dev.edapatterns.eventkit.requests;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.function.Function;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.edapatterns.eventkit.errors.Echo;
import dev.edapatterns.eventkit.errors.ProblemException;

/**
 * Numeric path, query and header parameters that cannot be read answer 400 naming the parameter. Without this, JAX-RS
 * answers a {@code limit=abc} with 404 ("no resource at this path"), which sends a client looking for the wrong fault.
 */
@Provider
public class NumberParameters implements ParamConverterProvider {

    private static final Map<Class<?>, Function<String, ?>> PARSERS = Map.of(
            int.class, Integer::valueOf, Integer.class, Integer::valueOf,
            long.class, Long::valueOf, Long.class, Long::valueOf,
            short.class, Short::valueOf, Short.class, Short::valueOf);

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        Function<String, ?> parser = PARSERS.get(rawType);
        if (parser == null) {
            return null;
        }
        String name = nameOf(annotations);
        return new ParamConverter<>() {
            @Override
            public T fromString(String value) {
                if (value == null) {
                    return null;
                }
                try {
                    return (T) parser.apply(value.strip());
                } catch (NumberFormatException e) {
                    throw ProblemException.invalidParameter(name,
                            "'" + Echo.clip(value) + "' is not a whole number in range.");
                }
            }

            @Override
            public String toString(T value) {
                return String.valueOf(value);
            }
        };
    }

    public static String nameOf(Annotation[] annotations) {
        for (Annotation a : annotations) {
            String name = a instanceof QueryParam q ? q.value()
                    : a instanceof PathParam p ? p.value()
                    : a instanceof HeaderParam h ? h.value()
                    : a instanceof RestQuery q ? q.value()
                    : a instanceof RestPath p ? p.value()
                    : a instanceof RestHeader h ? h.value() : null;
            if (name != null && !name.isEmpty()) {
                return name;
            }
        }
        return "parameter";
    }
}
