package dev.stepwise.server.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Points every test application context at a fresh database on the test PostgreSQL server, unless
 * the test configured a datasource itself; {@code stepwise.test.database=none} leaves the context
 * entirely to the test (it then runs like a real installation).
 */
public class TestDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String ADMIN_PASSWORD = "admin-password-for-tests";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment env = context.getEnvironment();
        if ("none".equals(env.getProperty("stepwise.test.database"))) {
            return;
        }
        Map<String, Object> properties = new HashMap<>();
        if (!env.containsProperty("stepwise.admin.password") || env.getProperty("stepwise.admin.password", "").isEmpty()) {
            properties.put("stepwise.admin.password", ADMIN_PASSWORD);
        }
        if (!env.containsProperty("stepwise.data-dir") || env.getProperty("stepwise.data-dir", "").equals("./stepwise-data")) {
            properties.put("stepwise.data-dir", Path.of("target", "test-data").toAbsolutePath().toString());
        }
        if (env.getProperty("spring.datasource.url") == null) {
            TestDatabases.Database database = TestDatabases.createDatabase();
            properties.put("spring.datasource.url", database.url());
            properties.put("spring.datasource.username", database.username());
            properties.put("spring.datasource.password", database.password());
            properties.put("spring.datasource.hikari.maximum-pool-size", "8");
        }
        env.getPropertySources().addFirst(new MapPropertySource("stepwise-test", properties));
    }
}
