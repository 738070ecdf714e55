"""``azureml.pipeline``: ``azureml.pipeline.core`` and ``azureml.pipeline.steps``."""
