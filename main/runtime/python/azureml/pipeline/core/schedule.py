"""``Schedule``, ``ScheduleRecurrence`` and ``TimeZone`` (§10.4g): schedules keep their UUID for life,
may be renamed, and names need not be unique. They fire while a ``millrace serve`` owns the workspace."""

import enum
from typing import Any, Dict, List, Optional

from ..._millrace import recurrence as rec_mod
from ..._millrace import studio
from ..._millrace.notsupported import NSObject, raise_ns
from ..._millrace.zones import WINDOWS_TO_IANA, member_name
from ...exceptions import UserErrorException

__all__ = ["Schedule", "ScheduleRecurrence", "TimeZone"]

TimeZone = enum.Enum("TimeZone", [(member_name(w), w) for w in WINDOWS_TO_IANA], module=__name__)  # type: ignore[misc]
TimeZone.__doc__ = "The SDK's time zones (Windows names); schedules use the IANA zone each maps to."


class ScheduleRecurrence(NSObject):
    def __init__(self, frequency: str, interval: int, start_time: Any = None, time_zone: Any = None,
                 hours: Optional[List[int]] = None, minutes: Optional[List[int]] = None,
                 week_days: Optional[List[str]] = None, time_of_day: Optional[str] = None) -> None:
        self._record = rec_mod.to_record(frequency, interval, start_time, time_zone, hours, minutes, week_days,
                                         time_of_day)
        self.time_of_day = time_of_day

    @classmethod
    def _from_record(cls, record: Dict[str, Any]) -> "ScheduleRecurrence":
        r = cls.__new__(cls)
        r._record = dict(record)
        r.time_of_day = None
        return r

    frequency = property(lambda self: self._record["frequency"])
    interval = property(lambda self: self._record["interval"])
    start_time = property(lambda self: self._record.get("startTime"))
    time_zone = property(lambda self: self._record.get("timeZone", "UTC"))
    hours = property(lambda self: self._record.get("hours"))
    minutes = property(lambda self: self._record.get("minutes"))
    week_days = property(lambda self: self._record.get("weekDays"))

    def validate(self) -> None:
        rec_mod.to_record(self.frequency, self.interval, self.start_time, self.time_zone, self.hours, self.minutes,
                          self.week_days)

    def __str__(self) -> str:
        return rec_mod.describe(self._record)

    def __repr__(self) -> str:
        return "ScheduleRecurrence(%s)" % ", ".join("%s=%r" % kv for kv in self._record.items())


def _parameters(values: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    from ...data.datapath import DataPath
    if not values:
        return None
    out: Dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, str) and value.startswith("@"):
            raise_ns("a schedule parameter expression (%s=%r)" % (key, value), "expressions such as "
                     "@scheduledTime are not evaluated", "schedules")
        out[key] = value.path_on_datastore if isinstance(value, DataPath) else value
    return out


class Schedule(NSObject):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise UserErrorException("a Schedule comes from Schedule.create(...), Schedule.get(ws, id) or Schedule.list(ws)")

    @classmethod
    def _from_record(cls, ws: Any, record: Dict[str, Any]) -> "Schedule":
        s = cls.__new__(cls)
        s._ws, s._record = ws, record
        return s

    # -- creation ------------------------------------------------------------------------
    @staticmethod
    def _create(workspace: Any, name: str, target: str, experiment_name: str, recurrence: Any, description: Any,
                pipeline_parameters: Any, datastore: Any, polling_interval: Any, data_path_parameter_name: Any,
                continue_on_step_failure: Any, path_on_datastore: Any) -> "Schedule":
        if (recurrence is None) == (datastore is None):
            raise UserErrorException("Schedule.create: give either recurrence= (a time schedule) or datastore= "
                                     "(a data-change schedule), not %s" % ("both" if recurrence else "neither"))
        args: Dict[str, Any] = {"name": name, "pipeline": target, "experiment": experiment_name,
                                "parameters": _parameters(pipeline_parameters), "description": description,
                                "continueOnStepFailure": continue_on_step_failure, "allowDuplicateName": True}
        if recurrence is not None:
            if not isinstance(recurrence, ScheduleRecurrence):
                raise UserErrorException("Schedule.create: recurrence must be a ScheduleRecurrence, got %r" % (recurrence,))
            args["recurrence"] = recurrence._record
        else:
            args["dataChange"] = _data_change(datastore, path_on_datastore, data_path_parameter_name)
            args["pollingInterval"] = polling_interval
        record = workspace._call("schedules/create", args)
        studio.warn_unserved(workspace, "schedules fire only while a `millrace serve` (or the desktop app) runs; "
                             "this schedule")
        return Schedule._from_record(workspace, record)

    @staticmethod
    def create(workspace: Any, name: str, pipeline_id: str, experiment_name: str, recurrence: Any = None,
               description: Optional[str] = None, pipeline_parameters: Optional[Dict[str, Any]] = None,
               wait_for_provisioning: bool = False, wait_timeout: int = 3600, datastore: Any = None,
               polling_interval: int = 5, data_path_parameter_name: Optional[str] = None,
               continue_on_step_failure: Optional[bool] = None, path_on_datastore: Optional[str] = None,
               _workflow_provider: Any = None, _service_endpoint: Any = None) -> "Schedule":
        return Schedule._create(workspace, name, pipeline_id, experiment_name, recurrence, description,
                                pipeline_parameters, datastore, polling_interval, data_path_parameter_name,
                                continue_on_step_failure, path_on_datastore)

    @staticmethod
    def create_for_pipeline_endpoint(workspace: Any, name: str, pipeline_endpoint_id: str, experiment_name: str,
                                     recurrence: Any = None, description: Optional[str] = None,
                                     pipeline_parameters: Optional[Dict[str, Any]] = None,
                                     wait_for_provisioning: bool = False, wait_timeout: int = 3600,
                                     datastore: Any = None, polling_interval: int = 5,
                                     data_path_parameter_name: Optional[str] = None,
                                     continue_on_step_failure: Optional[bool] = None,
                                     path_on_datastore: Optional[str] = None, _workflow_provider: Any = None,
                                     _service_endpoint: Any = None) -> "Schedule":
        return Schedule._create(workspace, name, pipeline_endpoint_id, experiment_name, recurrence, description,
                                pipeline_parameters, datastore, polling_interval, data_path_parameter_name,
                                continue_on_step_failure, path_on_datastore)

    # -- look-ups ----------------------------------------------------------------------------
    @staticmethod
    def get(workspace: Any, id: str, _workflow_provider: Any = None, _service_endpoint: Any = None) -> "Schedule":  # noqa: A002
        return Schedule._from_record(workspace, workspace._call("schedules/get", {"name": id}))

    @staticmethod
    def _all(workspace: Any) -> List["Schedule"]:
        records = sorted(workspace._call("schedules/list"), key=lambda r: r.get("createdAt") or "")
        return [Schedule._from_record(workspace, r) for r in records]

    @staticmethod
    def list(workspace: Any, active_only: bool = True, pipeline_id: Optional[str] = None,
             pipeline_endpoint_id: Optional[str] = None, _workflow_provider: Any = None,
             _service_endpoint: Any = None) -> List["Schedule"]:
        return [s for s in Schedule._all(workspace) if (not active_only or s.status == "Active")
                and (pipeline_id is None or s.pipeline_id == pipeline_id)
                and (pipeline_endpoint_id is None or s.pipeline_endpoint_id == pipeline_endpoint_id)]

    @staticmethod
    def get_schedules_for_pipeline_id(workspace: Any, pipeline_id: str, _workflow_provider: Any = None,
                                      _service_endpoint: Any = None) -> List["Schedule"]:
        return [s for s in Schedule._all(workspace) if s.pipeline_id == pipeline_id]

    @staticmethod
    def get_schedules_for_pipeline_endpoint_id(workspace: Any, pipeline_endpoint_id: str,
                                               _workflow_provider: Any = None,
                                               _service_endpoint: Any = None) -> List["Schedule"]:
        return [s for s in Schedule._all(workspace) if s.pipeline_endpoint_id == pipeline_endpoint_id]

    @staticmethod
    def load_yaml(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Schedule.load_yaml", "create schedules with Schedule.create or `millrace schedule create`",
                 "schedules")

    # -- the record ----------------------------------------------------------------------------
    id = property(lambda self: self._record["id"])  # noqa: A003 - SDK name
    name = property(lambda self: self._record["name"])
    description = property(lambda self: self._record.get("description"))
    status = property(lambda self: "Active" if self._record.get("enabled", True) else "Disabled")
    pipeline_id = property(lambda self: (self._record.get("target") or {}).get("publishedId"))
    pipeline_endpoint_id = property(lambda self: (self._record.get("target") or {}).get("endpointId"))
    polling_interval = property(lambda self: self._record.get("pollingInterval"))
    continue_on_step_failure = property(lambda self: self._record.get("continueOnStepFailure"))

    @property
    def recurrence(self) -> Optional[ScheduleRecurrence]:
        rec = self._record.get("recurrence")
        return ScheduleRecurrence._from_record(rec) if rec else None

    @property
    def datastore_name(self) -> Optional[str]:
        return (self._record.get("dataChange") or {}).get("datastore")

    @property
    def path_on_datastore(self) -> Optional[str]:
        dc = self._record.get("dataChange")
        return dc.get("pathOnDatastore") if dc else None

    @property
    def data_path_parameter_name(self) -> Optional[str]:
        return (self._record.get("dataChange") or {}).get("dataPathParameterName")

    # -- changes ---------------------------------------------------------------------------------
    def enable(self, wait_for_provisioning: bool = False, wait_timeout: int = 3600) -> None:
        self._record = self._ws._call("schedules/enable", {"name": self.id})

    def disable(self, wait_for_provisioning: bool = False, wait_timeout: int = 3600) -> None:
        self._record = self._ws._call("schedules/disable", {"name": self.id})

    def update(self, name: Optional[str] = None, description: Optional[str] = None, recurrence: Any = None,
               pipeline_parameters: Optional[Dict[str, Any]] = None, status: Optional[str] = None,
               wait_for_provisioning: bool = False, wait_timeout: int = 3600, datastore: Any = None,
               polling_interval: Optional[int] = None, data_path_parameter_name: Optional[str] = None,
               continue_on_step_failure: Optional[bool] = None, path_on_datastore: Optional[str] = None) -> None:
        rec = self._record
        is_data = rec.get("dataChange") is not None
        if recurrence is not None and is_data:
            raise UserErrorException("Schedule.update: this is a data-change schedule; it cannot get a recurrence "
                                     "(create a new schedule instead)")
        if datastore is not None and not is_data:
            raise UserErrorException("Schedule.update: this is a recurrence schedule; it cannot watch a datastore "
                                     "(create a new schedule instead)")
        if status not in (None, "Active", "Disabled"):
            raise UserErrorException("Schedule.update: status must be 'Active' or 'Disabled', got %r" % (status,))
        if recurrence is not None and not isinstance(recurrence, ScheduleRecurrence):
            raise UserErrorException("Schedule.update: recurrence must be a ScheduleRecurrence, got %r" % (recurrence,))
        # schedules/update replaces the whole definition (checked as create): start from the current one.
        target = rec.get("target") or {}
        params = dict(rec.get("parameters") or {})
        params.update(_parameters(pipeline_parameters) or {})
        args: Dict[str, Any] = {
            "name": self.id, "newName": name, "pipeline": target.get("publishedId") or target.get("endpointName"),
            "pipelineVersion": target.get("version"), "experiment": rec["experiment"], "parameters": params or None,
            "catchUp": rec.get("catchUp", False),
            "description": description if description is not None else rec.get("description"),
            "continueOnStepFailure": continue_on_step_failure if continue_on_step_failure is not None
            else rec.get("continueOnStepFailure"),
            "enabled": rec.get("enabled", True) if status is None else status == "Active",
            "pollingInterval": polling_interval if polling_interval is not None else rec.get("pollingInterval")}
        if is_data:
            dc = rec["dataChange"]
            args["dataChange"] = _data_change(datastore if datastore is not None else dc["datastore"],
                                              path_on_datastore if path_on_datastore is not None
                                              else dc.get("pathOnDatastore"),
                                              data_path_parameter_name or dc.get("dataPathParameterName"))
            for key in ("glob", "polling"):
                if dc.get(key) is not None:
                    args["dataChange"][key] = dc[key]
            args["dataChange"]["mode"] = dc.get("mode", "perFile")
        else:
            args["recurrence"] = recurrence._record if recurrence is not None else rec["recurrence"]
        self._record = self._ws._call("schedules/update", args)

    def get_pipeline_runs(self) -> List[Any]:
        from .run import PipelineRun
        out, offset = [], 0
        while True:
            page = self._ws._call("schedules/runs", {"name": self.id, "limit": 500, "offset": offset})
            out.extend(PipelineRun.get(self._ws, r["id"]) for r in page["items"])
            offset += len(page["items"])
            if not page["items"] or offset >= page["total"]:
                return out

    def get_last_pipeline_run(self) -> Optional[Any]:
        from .run import PipelineRun
        page = self._ws._call("schedules/runs", {"name": self.id, "limit": 1})
        return PipelineRun.get(self._ws, page["items"][0]["id"]) if page["items"] else None

    def __str__(self) -> str:
        if self._record.get("recurrence"):
            return rec_mod.describe(self._record["recurrence"])
        return "Runs when files change under %s/%s" % (self.datastore_name, self.path_on_datastore or "")

    def __repr__(self) -> str:
        return "Schedule(Name: %s, Id: %s, Status: %s, Pipeline Id: %s, Pipeline Endpoint Id: %s, Recurrence: %s)" % (
            self.name, self.id, self.status, self.pipeline_id, self.pipeline_endpoint_id, str(self))


def _data_change(datastore: Any, path_on_datastore: Optional[str], parameter: Optional[str]) -> Dict[str, Any]:
    name = getattr(datastore, "name", datastore)
    if not isinstance(name, str) or not name:
        raise UserErrorException("Schedule: datastore must be a Datastore or its name, got %r" % (datastore,))
    out: Dict[str, Any] = {"datastore": name, "path": path_on_datastore or "", "mode": "perFile"}
    if parameter:
        out["dataPathParameterName"] = parameter
    return out


from ..._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
