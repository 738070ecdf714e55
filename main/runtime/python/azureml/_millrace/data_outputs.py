"""Names of ``OutputFileDatasetConfig`` outputs built without one: ``<producer step id>_out<k>``, k from 1
in the order the step lists them (arguments, then outputs), so an unchanged pipeline keeps its names
and its steps stay reusable."""

from typing import Dict, List

from .step_base import StepBase, output_base, producer_of


def name_unnamed_outputs(order: List[StepBase], ids: Dict[int, str]) -> None:
    from ..data.output_dataset_config import OutputFileDatasetConfig
    for step in order:
        k = 0
        seen = set()
        for item in list(step._arguments) + list(step._outputs):
            base = output_base(item)
            if not isinstance(base, OutputFileDatasetConfig) or base._name or id(base) in seen:
                continue
            if producer_of(base) is not step:
                continue
            seen.add(id(base))
            k += 1
            base._auto_name = "%s_out%d" % (ids[id(step)], k)
