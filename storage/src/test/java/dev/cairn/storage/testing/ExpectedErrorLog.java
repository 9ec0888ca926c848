package dev.cairn.storage.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares ERROR log lines a test provokes on purpose; {@link ErrorLogGuard} fails every other
 * test that logs at ERROR. Each value is a substring an expected line must contain.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ExpectedErrorLog {
    String[] value();
}
