"""The pure parts: slugs, status words, zones, recurrence mapping, workspace resolution, NS messages."""

import datetime
import json
import os
import re
import shutil
import tempfile
import unittest

from azureml._millrace import locate, recurrence, slugs, status, zones
from azureml._millrace.notsupported import not_supported
from azureml.exceptions import MillraceNotSupportedError, UserErrorException

DOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "docs", "azureml.md")


class Slugs(unittest.TestCase):
    def test_examples_of_the_contract(self):
        self.assertEqual(slugs.slug("Score Model"), "Score_Model")
        self.assertEqual(slugs.slug("score.py"), "score_py")

    def test_runs_of_other_characters_become_one_underscore_trimmed(self):
        self.assertEqual(slugs.slug("  prep -- data!!"), "prep_--_data")
        self.assertEqual(slugs.slug("a.b/c\\d é"), "a_b_c_d")
        self.assertEqual(slugs.slug("__x__"), "x")

    def test_leading_digit_or_dash_and_empty(self):
        self.assertEqual(slugs.slug("1st step"), "s_1st_step")
        self.assertEqual(slugs.slug("-x"), "s_-x")
        self.assertEqual(slugs.slug("..."), "step")
        self.assertEqual(slugs.slug(""), "step")

    def test_at_most_64_characters(self):
        self.assertEqual(len(slugs.slug("x" * 100)), 64)

    def test_duplicates_get_numbered_in_order(self):
        self.assertEqual(slugs.unique_slugs(["train", "train", "train.", "train_2", "x" * 70, "x" * 64]),
                         ["train", "train_2", "train_3", "train_2_2", "x" * 64, "x" * 62 + "_2"])


class StatusWords(unittest.TestCase):
    def test_the_table_of_the_contract(self):
        rows = {  # millrace: (pipeline, step, details)
            "NotStarted": ("NotStarted", "NotStarted", "NotStarted"),
            "Queued": ("Running", "Queued", "Queued"),
            "Preparing": ("Running", "Running", "Preparing"),
            "Running": ("Running", "Running", "Running"),
            "Finalizing": ("Running", "Running", "Finalizing"),
            "Completed": ("Finished", "Finished", "Completed"),
            "Failed": ("Failed", "Failed", "Failed"),
            "Canceled": ("Canceled", "Canceled", "Canceled"),
        }
        self.assertEqual(set(rows), set(status.STATUSES))
        for word, (pipe, step, det) in rows.items():
            self.assertEqual((status.pipeline_word(word), status.step_word(word), status.details_word(word)),
                             (pipe, step, det), word)


class Zones(unittest.TestCase):
    def test_windows_names_member_names_and_iana(self):
        self.assertEqual(zones.to_iana("Pacific Standard Time"), "America/Los_Angeles")
        self.assertEqual(zones.to_iana("PacificStandardTime"), "America/Los_Angeles")
        self.assertEqual(zones.to_iana("W. Europe Standard Time"), "Europe/Berlin")
        self.assertEqual(zones.to_iana("UTC-11"), "Etc/GMT+11")
        self.assertEqual(zones.to_iana("UTC+12"), "Etc/GMT-12")
        self.assertEqual(zones.to_iana("Europe/Berlin"), "Europe/Berlin")
        self.assertEqual(zones.to_iana(None), "UTC")
        self.assertEqual(zones.to_iana("UTC"), "UTC")

    def test_timezone_members(self):
        from azureml.pipeline.core import TimeZone
        self.assertEqual(TimeZone.PacificStandardTime.value, "Pacific Standard Time")
        self.assertEqual(zones.to_iana(TimeZone.IndiaStandardTime), "Asia/Kolkata")
        self.assertEqual(zones.to_iana(TimeZone.UTC), "UTC")
        self.assertEqual(len(list(TimeZone)), len(zones.WINDOWS_TO_IANA))

    def test_every_table_entry_is_an_iana_zone_of_this_python(self):
        try:
            import zoneinfo
            known = zoneinfo.available_timezones()
        except ImportError:
            self.skipTest("zoneinfo needs Python 3.9+")
        if not known:
            self.skipTest("this Python has no tz database")
        missing = sorted(set(zones.WINDOWS_TO_IANA.values()) - known - {"UTC"})
        self.assertEqual(missing, [])

    def test_unknown_zone(self):
        with self.assertRaisesRegex(UserErrorException, "unknown time zone 'Mars Standard Time'"):
            zones.to_iana("Mars Standard Time")


class Recurrence(unittest.TestCase):
    def test_time_of_day_and_utc_default(self):
        rec = recurrence.to_record("Week", 1, week_days=["Tuesday"], time_of_day="06:15")
        self.assertEqual(rec, {"frequency": "Week", "interval": 1, "timeZone": "UTC", "hours": [6], "minutes": [15],
                               "weekDays": ["Tuesday"]})
        self.assertEqual(recurrence.describe(rec), "Runs at 06:15 on Tuesday every 1 Week (UTC)")

    def test_windows_zone_start_time_and_hours(self):
        rec = recurrence.to_record("Day", 2, start_time=datetime.datetime(2026, 3, 29, 6, 30, 0, 123),
                                   time_zone="W. Europe Standard Time", hours=[6, 18], minutes=[0, 30])
        self.assertEqual(rec["startTime"], "2026-03-29T06:30:00")
        self.assertEqual(rec["timeZone"], "Europe/Berlin")
        self.assertEqual((rec["hours"], rec["minutes"]), ([6, 18], [0, 30]))
        self.assertEqual(recurrence.to_record("Hour", 1, start_time="2026-01-02T03:04:05")["startTime"],
                         "2026-01-02T03:04:05")

    def test_week_days_are_normalised(self):
        self.assertEqual(recurrence.to_record("Week", 1, week_days=["monday", "FRIDAY"])["weekDays"],
                         ["Monday", "Friday"])

    def test_aware_start_time_is_a_value_error(self):
        with self.assertRaises(ValueError):
            recurrence.to_record("Day", 1, start_time=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))

    def test_broken_rules(self):
        cases = [
            (dict(frequency="Daily", interval=1), "frequency"),
            (dict(frequency="Day", interval=0), "interval"),
            (dict(frequency="Day", interval=True), "interval"),
            (dict(frequency="Hour", interval=1, hours=[1]), "hours: only allowed with frequency Day or Week"),
            (dict(frequency="Month", interval=1, minutes=[1]), "minutes"),
            (dict(frequency="Day", interval=1, week_days=["Monday"]), "week_days: only allowed with frequency Week"),
            (dict(frequency="Day", interval=1, hours=[24]), "hours"),
            (dict(frequency="Day", interval=1, time_of_day="6:15", hours=[6]), "time_of_day"),
            (dict(frequency="Day", interval=1, time_of_day="25:00"), "time_of_day"),
            (dict(frequency="Week", interval=1, week_days=["Funday"]), "week_days"),
            (dict(frequency="Day", interval=1, start_time="2026-02-30T00:00:00"), "start_time"),
            (dict(frequency="Day", interval=1, start_time="2026-01-01 00:00"), "start_time"),
        ]
        for kwargs, where in cases:
            with self.subTest(kwargs=kwargs), self.assertRaisesRegex(UserErrorException, re.escape(where)):
                recurrence.to_record(**kwargs)

    def test_schedule_recurrence_object(self):
        from azureml.pipeline.core import ScheduleRecurrence, TimeZone
        r = ScheduleRecurrence(frequency="Day", interval=1, time_zone=TimeZone.EasternStandardTime, time_of_day="07:45")
        self.assertEqual((r.hours, r.minutes, r.time_zone), ([7], [45], "America/New_York"))
        self.assertEqual(str(r), "Runs at 07:45 every 1 Day (America/New_York)")


class Resolution(unittest.TestCase):
    def setUp(self):
        self.root = os.path.realpath(tempfile.mkdtemp(prefix="azureml-locate-"))
        self.ws = self.make_ws("ws")

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def make_ws(self, rel):
        path = os.path.join(self.root, rel)
        os.makedirs(path, exist_ok=True)
        open(os.path.join(path, "millrace.yml"), "w").close()
        return path

    def resolve(self, cwd, env=None, **kw):
        return locate.resolve_workspace(env=dict({"HOME": os.path.join(self.root, "home")}, **(env or {})), cwd=cwd, **kw)

    def test_1_env_wins_and_must_be_a_workspace(self):
        other = self.make_ws("other")
        self.assertEqual(self.resolve(self.ws, {"MILLRACE_WORKSPACE": other}), (other, "env"))
        with self.assertRaisesRegex(UserErrorException, "is not a Millrace workspace"):
            self.resolve(self.ws, {"MILLRACE_WORKSPACE": self.root})

    def test_2_config_json_in_the_folder_or_a_parent(self):
        other = self.make_ws("other")
        project = os.path.join(self.ws, "project", "sub")
        os.makedirs(os.path.join(self.ws, "project", ".azureml"))
        os.makedirs(project)
        with open(os.path.join(self.ws, "project", ".azureml", "config.json"), "w") as fh:
            json.dump({"workspace_name": "x", "millrace_workspace": "../../../other"}, fh)
        self.assertEqual(self.resolve(project), (other, "config"))

    def test_2_config_in_path_or_as_a_file_with_another_name(self):
        other = self.make_ws("other")
        conf = os.path.join(self.root, "confs")
        os.makedirs(os.path.join(conf, "aml_config"))
        with open(os.path.join(conf, "aml_config", "my.json"), "w") as fh:
            json.dump({"millrace_workspace": other}, fh)
        self.assertEqual(self.resolve(self.root, path=conf, file_name="my.json"), (other, "config"))
        self.assertEqual(self.resolve(self.root, path=os.path.join(conf, "aml_config", "my.json")), (other, "config"))

    def test_2_an_azure_config_is_skipped_for_the_folder_rule(self):
        project = os.path.join(self.ws, "project")
        os.makedirs(project)
        with open(os.path.join(project, "config.json"), "w") as fh:
            json.dump({"subscription_id": "abc", "resource_group": "rg", "workspace_name": "w"}, fh)
        self.assertEqual(self.resolve(project), (self.ws, "folder"))

    def test_3_nearest_parent_with_millrace_yml(self):
        deep = os.path.join(self.ws, "a", "b")
        os.makedirs(deep)
        self.assertEqual(self.resolve(deep), (self.ws, "folder"))

    def test_4_default_workspace(self):
        self.assertEqual(self.resolve(self.root), (os.path.join(self.root, "home", "Millrace"), "default"))


class NotSupportedMessage(unittest.TestCase):
    def test_format_and_classes(self):
        err = not_supported("Model.deploy", "there are no web services offline", "models")
        self.assertEqual(str(err), "Model.deploy is not supported by Millrace's offline azureml package: there are "
                                   "no web services offline. See docs/azureml.md#models")
        for cls in (UserErrorException, NotImplementedError, AttributeError):
            self.assertIsInstance(err, cls)
        self.assertIsInstance(err, MillraceNotSupportedError)

    def test_every_anchor_used_is_a_heading_of_docs_azureml_md(self):
        package = os.path.dirname(os.path.dirname(os.path.abspath(zones.__file__)))
        used = set()
        for folder, _dirs, files in os.walk(package):
            for f in files:
                if f.endswith(".py"):
                    with open(os.path.join(folder, f), encoding="utf-8") as fh:
                        text = fh.read()
                    used.update(re.findall(r'raise_ns\([^)]*?"([a-z0-9-]+)"\)', text, re.S))
                    used.update(re.findall(r'not_supported\([^)]*?"([a-z0-9-]+)"\)', text, re.S))
        used.add("what-raises")
        with open(DOCS, encoding="utf-8") as fh:
            headings = {re.sub(r"[^a-z0-9 -]", "", h.strip().lower()).replace(" ", "-")
                        for h in re.findall(r"^#+ (.+)$", fh.read(), re.M)}
        self.assertTrue(used - {"what-raises"}, "no anchors found: the pattern is wrong")
        self.assertEqual(sorted(used - headings), [])

    def test_unknown_public_members_raise_ns_and_hasattr_is_false(self):
        from azureml.core import Model, Workspace
        self.assertFalse(hasattr(Workspace, "create_foo"))
        self.assertFalse(hasattr(Model, "deploy_to_aks"))
        with self.assertRaisesRegex(MillraceNotSupportedError, r"^azureml\.core\.Nope is not supported"):
            import azureml.core
            azureml.core.Nope  # noqa: B018
        with self.assertRaises(ImportError):
            from azureml.core import Nope  # noqa: F401


class Identity(unittest.TestCase):
    def test_millrace_marker_and_version(self):
        import azureml
        from azureml.core import VERSION
        self.assertIs(azureml.__millrace__, True)
        self.assertRegex(VERSION, r"^1\.24\.0\+millrace\.[0-9A-Za-z.]+$")

    def test_missing_modules_name_themselves_and_the_contract(self):
        with self.assertRaises(ModuleNotFoundError) as ctx:
            import azureml.train.automl  # noqa: F401
        self.assertIn("'azureml.train'", str(ctx.exception))
        self.assertIn("§10.3", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
