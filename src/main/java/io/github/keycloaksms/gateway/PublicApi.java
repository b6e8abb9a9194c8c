package io.github.keycloaksms.gateway;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the types third-party gateways build on. While {@link #unstable()} is true (every version
 * before 1.0) they may change in any release; from 1.0 on they stay compatible within a major
 * version.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@PublicApi(unstable = true)
public @interface PublicApi {

    /** True until 1.0: the type may still change. */
    boolean unstable() default false;
}
