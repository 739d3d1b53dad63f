package dev.stepwise.server.support;

import dev.stepwise.server.config.StepwiseProperties;
import dev.stepwise.server.web.ProblemResponses;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;

/**
 * A web slice of the service: the named controllers, the problem-response advice and the web
 * filters' beans, with MockMvc but without the security filter chain (which the integration tests
 * and the authorization matrix cover against the whole application). Services behind the
 * controller are {@code @MockitoBean}s of the test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WebMvcTest
@AutoConfigureMockMvc(addFilters = false)
@Import(WebSlice.Infrastructure.class)
public @interface WebSlice {

    /** The controllers under test. */
    @AliasFor(annotation = WebMvcTest.class, attribute = "controllers")
    Class<?>[] value() default {};

    /** What the slice's web beans need besides the controller's own collaborators. */
    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties(StepwiseProperties.class)
    @Import(ProblemResponses.class)
    class Infrastructure {}
}
