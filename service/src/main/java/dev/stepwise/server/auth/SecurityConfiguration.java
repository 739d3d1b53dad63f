package dev.stepwise.server.auth;

import dev.stepwise.server.audit.AuditLog;
import dev.stepwise.server.web.ProblemResponses;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The security filter chain: sessions (with cookie CSRF tokens) for the browser, HTTP Basic for
 * scripts, Bearer API keys for trainers. Every {@code /api/v1} request except login needs a
 * principal; project-level checks happen in {@code access.ProjectAccess}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; "
            + "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

    /**
     * Requests the firewall rejects (an encoded slash, a semicolon, {@code ..} in the path) get a
     * 400 problem written directly: an error dispatch of such a request would be rejected again.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ProblemResponses problems) {
        return (request, response, rejected) -> problems.write(request, response, HttpStatus.BAD_REQUEST,
                "The request was rejected: its path is not allowed here (for example an encoded slash, a semicolon "
                        + "or '..')", Map.of());
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /**
     * Sessions hold the security context of browser logins only: {@code POST /auth/login} creates
     * the session, and nothing else may (an API key or HTTP Basic request would otherwise get a
     * session of its own on every call, kept for the whole session timeout).
     */
    @Bean
    SecurityContextRepository securityContextRepository() {
        HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();
        repository.setAllowSessionCreation(false);
        return repository;
    }

    /** Cookie {@code XSRF-TOKEN} (readable by the web app), echoed in the {@code X-XSRF-TOKEN} header. */
    @Bean
    CookieCsrfTokenRepository csrfTokenRepository() {
        return CookieCsrfTokenRepository.withHttpOnlyFalse();
    }

    @Bean
    AuthenticationManager authenticationManager(AccountDetailsService accounts, PasswordEncoder passwordEncoder,
            AuditLog auditLog) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(accounts);
        provider.setPasswordEncoder(passwordEncoder);
        ProviderManager manager = new ProviderManager(provider);
        manager.setAuthenticationEventPublisher(new AuthenticationEventPublisher() {
            @Override
            public void publishAuthenticationSuccess(Authentication authentication) {
            }

            @Override
            public void publishAuthenticationFailure(AuthenticationException exception, Authentication authentication) {
                if (exception instanceof BadCredentialsException) {
                    auditLog.recordIndependently(AuditLog.LOGIN_FAILED, null, null, authentication.getName(),
                            Map.of());
                }
            }
        });
        return manager;
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, AuthenticationManager authenticationManager,
            ProblemAuthenticationHandlers problemHandlers, ApiKeyAuthenticator apiKeys,
            LoginThrottle throttle, ProblemResponses problems, SecurityContextRepository contextRepository,
            CookieCsrfTokenRepository csrfTokens)
            throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        RequestMatcher login = paths.matcher(HttpMethod.POST, "/api/v1/auth/login");
        // Requests that carry their own credentials cannot be forged cross-site: browsers never attach
        // an Authorization header by themselves (no Basic challenge is ever sent).
        RequestMatcher explicitCredentials = request -> request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        // Without a live session there is no ambient authority to abuse; such requests get their 401.
        RequestMatcher noSession = request -> request.getSession(false) == null;
        http
                .authenticationManager(authenticationManager)
                .securityContext(c -> c.securityContextRepository(contextRepository))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(login).permitAll()
                        .requestMatchers(paths.matcher(HttpMethod.GET, "/api/v1/auth/csrf")).permitAll()
                        .requestMatchers(paths.matcher("/api/**")).authenticated()
                        .anyRequest().permitAll())
                .httpBasic(basic -> basic.authenticationEntryPoint(problemHandlers))
                .csrf(csrf -> csrf.spa().csrfTokenRepository(csrfTokens)
                        .ignoringRequestMatchers(login, explicitCredentials, noSession))
                .exceptionHandling(e -> e.authenticationEntryPoint(problemHandlers).accessDeniedHandler(problemHandlers))
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .addFilterBefore(new BasicAuthThrottleFilter(throttle, problems), BasicAuthenticationFilter.class)
                .addFilterBefore(new ApiKeyAuthenticationFilter(apiKeys, problems),
                        BasicAuthenticationFilter.class);
        return http.build();
    }
}
