"""Status words (§10.2): the store keeps Millrace's; SDK objects translate them."""

STATUSES = ("NotStarted", "Queued", "Preparing", "Running", "Finalizing", "Completed", "Failed", "Canceled")
TERMINAL = ("Completed", "Failed", "Canceled")

# PipelineRun.get_status() and wait_for_completion()
_PIPELINE = {"NotStarted": "NotStarted", "Queued": "Running", "Preparing": "Running",
             "Running": "Running", "Finalizing": "Running", "Completed": "Finished",
             "Failed": "Failed", "Canceled": "Canceled"}
# StepRun.get_status()
_STEP = {"NotStarted": "NotStarted", "Queued": "Queued", "Preparing": "Running", "Running": "Running",
         "Finalizing": "Running", "Completed": "Finished", "Failed": "Failed", "Canceled": "Canceled"}


def pipeline_word(status: str) -> str:
    return _PIPELINE.get(status, status)


def step_word(status: str) -> str:
    return _STEP.get(status, status)


def details_word(status: str) -> str:
    """``get_details()["status"]`` and a plain ``Run``: Millrace's own word."""
    return status


def is_terminal(status: str) -> bool:
    return status in TERMINAL
