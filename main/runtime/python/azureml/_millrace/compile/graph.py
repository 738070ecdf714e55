"""The steps of a pipeline: closure (§10.4c), dependencies, and compile order.

The order is topological; ties go to the order in which steps were listed (a ``StepSequence`` or the
``steps`` list), then discovered walking back from them. Step ids are slugs of the display names
given in that order (``slugs.unique_slugs``), so they are stable for an unchanged pipeline.
"""

from typing import Any, Dict, List, Sequence, Set, Tuple

from ...exceptions import UserErrorException
from ..bindings import StepOutputInput
from ..step_base import StepBase, output_base, producer_of


def consumed_outputs(step: StepBase) -> List[Tuple[Any, Any]]:
    """``(producer-side object, the item as given)`` for every step output this step reads."""
    out = []
    for item in list(step._arguments) + list(step._inputs):
        if isinstance(item, StepOutputInput):
            out.append((item._output, item))
            continue
        base = output_base(item)
        if base is not None and producer_of(base) is not step:
            out.append((base, item))
    return out


def expand_steps(steps: Any) -> Tuple[List[StepBase], List[Tuple[StepBase, StepBase]]]:
    """Listed steps in order, and the ``run_after`` edges a ``StepSequence`` adds (later, earlier)."""
    from ...pipeline.core.builder import StepSequence
    items = steps._elements if isinstance(steps, StepSequence) else None
    listed: List[StepBase] = []
    edges: List[Tuple[StepBase, StepBase]] = []
    if items is None:
        if not isinstance(steps, (list, tuple)):
            steps = [steps]
        for s in steps:
            if isinstance(s, StepSequence):
                sub, sub_edges = expand_steps(s)
                listed.extend(x for x in sub if x not in listed)
                edges.extend(sub_edges)
            elif isinstance(s, StepBase):
                if s not in listed:
                    listed.append(s)
            else:
                raise UserErrorException("Pipeline: steps must be steps or a StepSequence, got %r" % (s,))
        return listed, edges
    previous: List[StepBase] = []
    for group in items:
        for s in group:
            if not isinstance(s, StepBase):
                raise UserErrorException("StepSequence: expected steps, got %r" % (s,))
            if s not in listed:
                listed.append(s)
            edges.extend((s, p) for p in previous)
        previous = list(group)
    return listed, edges


def collect(listed: Sequence[StepBase], sequence_edges: Sequence[Tuple[StepBase, StepBase]],
            resolve_closure: bool) -> Tuple[List[StepBase], Dict[int, List[StepBase]], List[str]]:
    """``(steps in compile order, step -> steps it waits for, problems)``."""
    found: List[StepBase] = list(listed)
    deps: Dict[int, List[StepBase]] = {}
    problems: List[str] = []
    extra_after = {}
    for later, earlier in sequence_edges:
        extra_after.setdefault(id(later), []).append(earlier)
    i = 0
    while i < len(found):
        step = found[i]
        i += 1
        waits: List[StepBase] = []
        for base, _item in consumed_outputs(step):
            producer = producer_of(base)
            if producer is None:
                problems.append("step '%s' consumes '%s', which no step produces (list it in the producing "
                                "step's outputs=)" % (step.name, base.name))
                continue
            waits.append(producer)
        waits.extend(step._run_after)
        waits.extend(extra_after.get(id(step), []))
        for w in waits:
            if w not in found:
                if resolve_closure:
                    found.append(w)
                else:
                    problems.append("step '%s' depends on step '%s', which is not in the pipeline "
                                    "(resolve_closure=False)" % (step.name, w.name))
                    continue
            if w not in deps.setdefault(id(step), []):
                deps[id(step)].append(w)
    order, cycle = _topological(found, deps)
    if cycle:
        problems.append("dependency cycle: %s" % " -> ".join("'%s'" % s.name for s in cycle))
    unique: List[str] = []
    for p in problems:
        if p not in unique:
            unique.append(p)
    return order + cycle, deps, unique


def _topological(steps: List[StepBase], deps: Dict[int, List[StepBase]]) -> Tuple[List[StepBase], List[StepBase]]:
    rank = {id(s): n for n, s in enumerate(steps)}
    done: Set[int] = set()
    order: List[StepBase] = []
    while len(order) < len(steps):
        ready = [s for s in steps if id(s) not in done and all(id(d) in done for d in deps.get(id(s), []))]
        if not ready:
            return order, [s for s in steps if id(s) not in done]
        nxt = min(ready, key=lambda s: rank[id(s)])
        done.add(id(nxt))
        order.append(nxt)
    return order, []
