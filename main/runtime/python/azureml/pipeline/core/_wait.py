"""``wait_for_completion`` of pipeline and step runs (§10.4i): polls through the bridge at most twice a
second, prints Azure's lines, returns Azure's word. Only the first line and the final status line are
meant to be relied on; Ctrl-C stops the waiting, never the run."""

import pprint
import time
from typing import Any, Dict, List, Set

from ..._millrace import run_details, studio
from ..._millrace import status as words
from ...exceptions import ActivityFailedException

POLL_S = 0.5


def _print(text: str = "") -> None:
    print(text, flush=True)


def _step_log(run: Any, step: Dict[str, Any]) -> str:
    from .run import StepRun
    handle = object.__new__(StepRun)
    handle._attach(run._ws, step)
    return handle.get_job_log()


def _report_step(run: Any, step: Dict[str, Any]) -> None:
    name, word = step.get("name") or step.get("stepId"), words.step_word(step["status"])
    _print("StepRunId: %s" % step["id"])
    _print("Link to Azure Machine Learning Portal: %s" % studio.run_url(run._ws, step["id"]))
    _print("StepRun( %s ) Status: %s" % (name, word))
    _print()
    if step.get("reusedFrom"):
        _print("This step was reused: its outputs and log are those of step run %s" % step["reusedFrom"])
    elif step["status"] != "NotStarted":
        _print("Streaming user_logs/std_log.txt")
        _print("=" * 30)
        text = _step_log(run, step)
        _print(text.rstrip("\n"))
    _print()
    _print("StepRun(%s) Execution Summary" % name)
    _print("=" * (len(name) + 26))
    _print("StepRun( %s ) Status: %s" % (name, word))
    pprint.pprint(run_details.details(step), sort_dicts=False)
    _print()


def _failure(run: Any, rec: Dict[str, Any]) -> ActivityFailedException:
    failed = [s for s in rec.get("steps") or [] if s["status"] == "Failed"]
    lines = ["PipelineRun %s failed%s" % (rec["id"], ": %s" % rec["error"] if rec.get("error") else "")]
    for s in failed:
        lines.append("  step '%s' (%s): %s; see `millrace runs logs %s %s`" % (
            s.get("name"), s["id"], s.get("error") or "failed", rec["id"], s.get("stepId")))
    return ActivityFailedException("\n".join(lines))


def wait_pipeline(run: Any, show_output: bool, timeout_seconds: float, raise_on_error: bool) -> str:
    started = time.monotonic()
    rec = run._record(fresh=True)
    if show_output:
        _print("PipelineRunId: %s" % run.id)
        _print("Link to Azure Machine Learning Portal: %s" % studio.run_url(run._ws, run.id))
        _print("PipelineRun Status: %s" % ("Running" if not words.is_terminal(rec["status"])
                                           else words.pipeline_word(rec["status"])))
        _print()
    reported: Set[str] = set()
    try:
        while True:
            if show_output:
                for step in rec.get("steps") or []:
                    if step["id"] not in reported and words.is_terminal(step["status"]):
                        reported.add(step["id"])
                        _report_step(run, step)
            if words.is_terminal(rec["status"]):
                break
            if time.monotonic() - started > timeout_seconds:
                word = words.pipeline_word(rec["status"])
                _print("Timed out waiting for PipelineRun %s after %d seconds; its status is %s"
                       % (run.id, timeout_seconds, word))
                return word
            time.sleep(POLL_S)
            rec = run._record(fresh=True)
    except KeyboardInterrupt:
        _print("Stopped waiting for PipelineRun %s; the run goes on (cancel it with run.cancel() or "
               "`millrace runs cancel %s`)" % (run.id, run.id))
        raise
    word = words.pipeline_word(rec["status"])
    if show_output:
        _print("PipelineRun Execution Summary")
        _print("=" * 29)
        _print("PipelineRun Status: %s" % word)
        pprint.pprint(run_details.details(rec), sort_dicts=False)
        _print()
    if rec["status"] == "Failed" and raise_on_error:
        raise _failure(run, rec)
    return word


def wait_step(step_run: Any, show_output: bool, timeout_seconds: float, raise_on_error: bool) -> str:
    started = time.monotonic()
    rec = step_run._record(fresh=True)
    try:
        while not words.is_terminal(rec["status"]):
            if time.monotonic() - started > timeout_seconds:
                word = words.step_word(rec["status"])
                _print("Timed out waiting for StepRun %s after %d seconds; its status is %s"
                       % (step_run.id, timeout_seconds, word))
                return word
            time.sleep(POLL_S)
            rec = step_run._record(fresh=True)
    except KeyboardInterrupt:
        _print("Stopped waiting for StepRun %s; the run goes on" % step_run.id)
        raise
    if show_output:
        _report_step(step_run, rec)
    if rec["status"] == "Failed" and raise_on_error:
        raise ActivityFailedException("StepRun '%s' (%s) failed: %s; see `millrace runs logs %s %s`" % (
            rec.get("name"), rec["id"], rec.get("error") or "see its log", rec.get("parentId"), rec.get("stepId")))
    return words.step_word(rec["status"])


def stream_script_run(run: Any) -> None:
    """``Experiment.submit(ScriptRunConfig)``'s run, ``wait_for_completion(show_output=True)``."""
    _print("RunId: %s" % run.id)
    _print("Web View: %s" % studio.run_url(run._ws, run.id))
    _print()
    rec = run._record(fresh=True)
    while not words.is_terminal(rec["status"]):
        time.sleep(POLL_S)
        rec = run._record(fresh=True)
    steps: List[Dict[str, Any]] = rec.get("steps") or []
    if steps and steps[0]["status"] != "NotStarted":
        _print("Streaming user_logs/std_log.txt")
        _print("=" * 30)
        _print(_step_log(run, steps[0]).rstrip("\n"))
        _print()
    _print("Execution Summary")
    _print("=================")
    _print("RunId: %s" % run.id)
    _print("Web View: %s" % studio.run_url(run._ws, run.id))
    _print()
