package dev.stepwise.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Entry point of the Stepwise tracking service. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class StepwiseApplication {

    public static void main(String[] args) {
        SpringApplication.run(StepwiseApplication.class, args);
    }
}
