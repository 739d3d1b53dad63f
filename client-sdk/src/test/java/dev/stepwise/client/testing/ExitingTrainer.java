package dev.stepwise.client.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.stepwise.client.Run;
import dev.stepwise.client.Stepwise;

/**
 * A trainer process that logs and then lets the JVM exit without finishing its run or closing
 * the client, so the shutdown hook has to. Arguments: server URL, spool directory.
 */
public final class ExitingTrainer {

    private ExitingTrainer() {
    }

    public static void main(String[] args) {
        Stepwise stepwise = Stepwise.builder().environment(Map.of()).baseUrl(args[0]).project("vision")
                .spoolDir(Path.of(args[1])).heartbeatInterval(Duration.ZERO).closeTimeout(Duration.ofSeconds(10))
                .build();
        Run run = stepwise.newRun().name("exiting").start();
        for (int i = 0; i < 100; i++) {
            run.log("loss", i, i);
        }
        System.out.println(run.id());
    }
}
