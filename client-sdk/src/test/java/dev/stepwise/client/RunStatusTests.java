package dev.stepwise.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStatusTests {

    @TempDir
    Path tmp;

    @Test
    void parsesStatusNamesAndTheSeedTrackersWords() {
        assertThat(RunStatus.parse("completed")).isEqualTo(RunStatus.FINISHED);
        assertThat(RunStatus.parse("COMPLETED")).isEqualTo(RunStatus.FINISHED);
        assertThat(RunStatus.parse("failed")).isEqualTo(RunStatus.FAILED);
        assertThat(RunStatus.parse(" Finished ")).isEqualTo(RunStatus.FINISHED);
        assertThat(RunStatus.parse("KILLED")).isEqualTo(RunStatus.KILLED);
        assertThat(RunStatus.parse("crashed")).isEqualTo(RunStatus.CRASHED);
        assertThatThrownBy(() -> RunStatus.parse("done")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("done");
        assertThatThrownBy(() -> RunStatus.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void finishTakesAFinalStatusWord() {
        try (Stepwise stepwise = Stepwise.builder().environment(Map.of()).mode(Mode.DISABLED)
                .spoolDir(tmp).shutdownHook(false).build()) {
            Run completed = stepwise.newRun().start();
            completed.finish("completed");
            assertThat(completed.status()).isEqualTo("FINISHED");
            Run failed = stepwise.newRun().start();
            failed.finish("failed");
            assertThat(failed.status()).isEqualTo("FAILED");
            Run open = stepwise.newRun().start();
            assertThatThrownBy(() -> open.finish("running")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> open.finish("later")).isInstanceOf(IllegalArgumentException.class);
            assertThat(open.isOpen()).isTrue();
            open.finish(RunStatus.KILLED);
            assertThat(open.status()).isEqualTo("KILLED");
        }
    }
}
