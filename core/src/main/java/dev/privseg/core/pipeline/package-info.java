/**
 * Building and running a pipeline: the fluent
 * {@link dev.privseg.core.pipeline.SegmentationBuilder}, the immutable
 * {@link dev.privseg.core.pipeline.SegmentationPipeline} it builds, progress listeners and
 * cancellation, and the {@link dev.privseg.core.pipeline.SegmentationRun} a run returns.
 */
package dev.privseg.core.pipeline;
