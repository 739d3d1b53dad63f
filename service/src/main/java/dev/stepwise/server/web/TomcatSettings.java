package dev.stepwise.server.web;

import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Settings of the embedded Tomcat. */
@Configuration(proxyBeanMethods = false)
class TomcatSettings {

    /**
     * Tomcat would reject an encoded slash ({@code %2F}) in a path itself, with an HTML page and
     * before the application sees it. Passed through, it reaches Spring Security's firewall,
     * which rejects it just as well, but with a problem response like every other client error.
     */
    @Bean
    TomcatConnectorCustomizer encodedSlashReachesTheFirewall() {
        return connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
    }
}
