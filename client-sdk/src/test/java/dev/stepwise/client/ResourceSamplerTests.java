package dev.stepwise.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ResourceSamplerTests {

    @Test
    void samplesHeapAndParsesGpuLines() {
        ResourceSampler sampler = ResourceSampler.builder()
                .gpuCommand(List.of("printf", "0, 1024, 16384, 37\\n1, 2048, 16384, [N/A]\\n")).build();
        Map<String, Double> s = sampler.sample();
        assertThat(s).containsKeys("system/heap_used_mb", "system/heap_committed_mb");
        assertThat(s).containsEntry("system/gpu0/memory_used_mb", 1024.0)
                .containsEntry("system/gpu0/memory_total_mb", 16384.0)
                .containsEntry("system/gpu0/utilization_percent", 37.0)
                .doesNotContainKey("system/gpu1/utilization_percent");
        assertThat(sampler.gpuAvailable()).isTrue();
    }

    @Test
    void turnsGpuSamplingOffWhenTheCommandIsMissing() {
        ResourceSampler sampler = ResourceSampler.builder()
                .gpuCommand(List.of("definitely-not-nvidia-smi-here")).build();
        assertThat(sampler.sample()).noneSatisfy((k, v) -> assertThat(k).contains("gpu"));
        assertThat(sampler.gpuAvailable()).isFalse();
    }
}
