"""``azureml.widgets``: ``RunDetails(run).show()`` prints the run's studio link (no Jupyter widgets needed)."""

from typing import Any

from .._millrace import studio
from .._millrace.notsupported import NSObject, module_getattr

__all__ = ["RunDetails"]


class RunDetails(NSObject):
    def __init__(self, run_instance: Any) -> None:
        self._run = run_instance

    def show(self, render_lib: Any = None, widget_settings: Any = None) -> None:
        ws = getattr(self._run, "_ws", None)
        if ws is None:
            print("RunDetails: %s is an offline run; it has no studio page" % self._run.id)
            return
        print("RunDetails: %s" % studio.run_url(ws, self._run.id))

    def get_widget_data(self, widget_settings: Any = None) -> Any:
        from .._millrace.notsupported import raise_ns
        raise_ns("RunDetails.get_widget_data", "the studio shows the run; RunDetails(run).show() prints its link",
                 "runs")


__getattr__ = module_getattr(__name__)
