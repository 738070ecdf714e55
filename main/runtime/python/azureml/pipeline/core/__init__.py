"""``azureml.pipeline.core``: pipelines, their data, runs, publishing, endpoints and schedules."""

from ..._millrace.notsupported import module_getattr
from .builder import PipelineData, StepSequence
from .graph import PipelineParameter, PortDataReference
from .pipeline import Pipeline
from .pipeline_draft import PipelineDraft
from .pipeline_endpoint import PipelineEndpoint
from .published import PublishedPipeline
from .run import PipelineRun, StepRun
from .schedule import Schedule, ScheduleRecurrence, TimeZone

__all__ = ["Pipeline", "PipelineData", "PipelineParameter", "PipelineRun", "StepRun", "PortDataReference",
           "PublishedPipeline", "PipelineEndpoint", "Schedule", "ScheduleRecurrence", "TimeZone", "StepSequence",
           "PipelineDraft"]
__getattr__ = module_getattr(__name__)
