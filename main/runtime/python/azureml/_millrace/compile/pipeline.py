"""Compile a ``Pipeline`` to the pipeline spec of DESIGN.md §3 plus the §10.4b additions.

The result is what ``sdk/submit``, ``sdk/publish`` and ``sdk/validate`` take (docs/bridge.md): display
names keep the SDK's names, step ids are stable slugs, ``x-azureml`` records what Millrace does not use.
"""

import os
from typing import Any, Dict, List, Optional

from ...exceptions import UserErrorException
from ..data_outputs import name_unnamed_outputs
from ..slugs import unique_slugs
from ..step_base import StepBase
from ..version import VERSION
from .binding import Parameters, StepBinder
from .context import CompileContext
from .graph import collect, expand_steps
from .steps import build, source_directory


class Compiled:
    def __init__(self, spec: Dict[str, Any], order: List[StepBase], ids: Dict[int, str]) -> None:
        self.spec = spec
        self.order = order
        self.ids = ids

    def step_id(self, step: StepBase) -> str:
        return self.ids[id(step)]


def compile_pipeline(pipeline: Any, ctx: CompileContext, name: str, script: Optional[str],
                     extra_notes: Optional[Dict[str, Any]] = None) -> Compiled:
    """Raises ``UserErrorException`` listing every problem, one per line, each naming the step's display name."""
    listed, sequence_edges = expand_steps(pipeline._steps)
    order, deps, problems = collect(listed, sequence_edges, pipeline._resolve_closure)
    ids = {id(s): slug for s, slug in zip(order, unique_slugs(s.name for s in order))}
    if problems:
        # The graph is broken: binding would only repeat it. Still report every step's missing files.
        for step in order:
            folder = source_directory(step, pipeline._default_source_directory, problems)
            script = getattr(step, "script_name", None)
            if folder and script and os.path.isdir(folder) and not os.path.isfile(os.path.join(folder, script)):
                problems.append("step '%s': script '%s' is not in its source_directory %s" % (step.name, script, folder))
        raise UserErrorException("the pipeline is not valid:\n" + "\n".join("  " + p for p in problems))
    name_unnamed_outputs(order, ids)
    params = Parameters()
    data_edges = _data_producers(order)
    steps: Dict[str, Any] = {}
    for step in order:
        after = [ids[id(w)] for w in deps.get(id(step), []) if id(w) in ids and w not in data_edges.get(id(step), [])]
        binder = StepBinder(step, ids, ctx, params, pipeline._default_datastore_name)
        try:
            steps[ids[id(step)]] = build(step, ids[id(step)], binder, ctx, after, pipeline._default_source_directory,
                                         problems)
        except UserErrorException as exc:
            if getattr(exc, "code", None) is None and not isinstance(exc, NotImplementedError):
                problems.append(exc.message)
            else:
                raise
    if problems:
        raise UserErrorException("the pipeline is not valid:\n" + "\n".join("  " + p for p in problems))
    param_spec, param_notes = params.spec(ctx)
    spec: Dict[str, Any] = {"name": name}
    if pipeline._description:
        spec["description"] = pipeline._description
    spec["argument_style"] = "azureml"
    if param_spec:
        spec["parameters"] = param_spec
    spec["steps"] = steps
    notes: Dict[str, Any] = {"sdk": VERSION, "script": script, "resolve_closure": pipeline._resolve_closure}
    if pipeline._default_datastore_name:
        notes["default_datastore"] = pipeline._default_datastore_name
    if pipeline._default_source_directory:
        notes["default_source_directory"] = pipeline._default_source_directory
    if param_notes:
        notes["parameters"] = param_notes
    notes.update(extra_notes or {})
    spec["x-azureml"] = notes
    return Compiled(spec, order, ids)


def _data_producers(order: List[StepBase]) -> Dict[int, List[StepBase]]:
    """Step -> the producers it waits for through data (those edges need no ``run_after``)."""
    from ..step_base import producer_of
    from .graph import consumed_outputs
    out: Dict[int, List[StepBase]] = {}
    for step in order:
        for base, _item in consumed_outputs(step):
            p = producer_of(base)
            if p is not None:
                out.setdefault(id(step), []).append(p)
    return out
