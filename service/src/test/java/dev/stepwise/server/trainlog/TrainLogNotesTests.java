package dev.stepwise.server.trainlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.trainlog.TrainLogNotes.ArtifactNote;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainLogNotesTests {

    @Test
    void knownNotesBecomeRunMetadataAndTheRestIsKept() {
        TrainLogNotes notes = TrainLogNotes.parse(List.of("project=vision", "run_name=resnet-a", "group=sweep/1",
                "tags=a, b,,c", "config.lr=0.01", "config.optimizer=adam", "status=FINISHED",
                "artifact.model=s3://bucket/model.pt kind=model desc=best checkpoint", "free text", "x=y"));
        assertThat(notes.project()).isEqualTo("vision");
        assertThat(notes.runName()).isEqualTo("resnet-a");
        assertThat(notes.group()).isEqualTo("sweep/1");
        assertThat(notes.tags()).containsExactly("a", "b", "c");
        assertThat(notes.config()).containsExactly(java.util.Map.entry("lr", "0.01"),
                java.util.Map.entry("optimizer", "adam"));
        assertThat(notes.status()).isEqualTo("FINISHED");
        assertThat(notes.artifacts()).containsExactly(
                new ArtifactNote("model", "s3://bucket/model.pt", "model", "best checkpoint"));
        assertThat(notes.other()).containsExactly("free text", "x=y");
    }

    @Test
    void anArtifactNeedsOnlyItsPathAndEmptyKeysAreFreeText() {
        TrainLogNotes notes = TrainLogNotes.parse(List.of("artifact.log=/tmp/out.txt", "=value", "config.=1"));
        assertThat(notes.artifacts()).containsExactly(new ArtifactNote("log", "/tmp/out.txt", null, null));
        assertThat(notes.other()).containsExactly("=value", "config.=1");
    }
}
