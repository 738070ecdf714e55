"""Read and write the conda environment files the SDK records (name, channels, dependencies, pip).

The standard library has no YAML parser; conda files use a small, regular subset (mappings of
scalars and lists, one nested ``pip:`` list), which is all this reads. Anything else is an error
that names the line, never a silent misreading.
"""

from typing import Any, Dict, List, Optional, Tuple

from ..exceptions import UserErrorException


def _scalar(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _strip_comment(line: str) -> str:
    out, quote = [], None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1].isspace()):
            break
        out.append(c)
    return "".join(out).rstrip()


def parse(text: str, where: str) -> Dict[str, Any]:
    """``{"name": str|None, "channels": [...], "conda": [...], "pip": [...]}``."""
    result: Dict[str, Any] = {"name": None, "channels": [], "conda": [], "pip": []}
    section: Optional[str] = None
    in_pip = False
    pip_indent = -1
    for number, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw)
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        if indent == 0 and not body.startswith("-"):
            key, _, value = body.partition(":")
            section, in_pip = key.strip(), False
            if section == "name":
                result["name"] = _scalar(value) or None
            elif value.strip() and section in ("channels", "dependencies"):
                raise _bad(where, number, "expected a list under '%s:'" % section)
            continue
        if not body.startswith("-"):
            raise _bad(where, number, "expected a list item ('- ...')")
        item = body[1:].strip()
        if in_pip and indent > pip_indent:
            result["pip"].append(_scalar(item))
            continue
        in_pip = False
        if section == "channels":
            result["channels"].append(_scalar(item))
        elif section == "dependencies":
            if item.rstrip(":").strip() == "pip" and item.endswith(":"):
                in_pip, pip_indent = True, indent
            else:
                result["conda"].append(_scalar(item))
        elif section is None:
            raise _bad(where, number, "a list item outside of 'channels:' or 'dependencies:'")
    return result


def _bad(where: str, number: int, why: str) -> UserErrorException:
    return UserErrorException("%s:%d: cannot read this conda environment file: %s" % (where, number, why))


def dump(name: Optional[str], channels: List[str], conda: List[str], pip: List[str]) -> str:
    lines: List[str] = []
    if name:
        lines.append("name: %s" % name)
    if channels:
        lines.append("channels:")
        lines.extend("  - %s" % c for c in channels)
    lines.append("dependencies:")
    lines.extend("  - %s" % p for p in conda)
    if pip:
        if not any(p == "pip" or p.startswith(("pip=", "pip<", "pip>")) for p in conda):
            lines.append("  - pip")
        lines.append("  - pip:")
        lines.extend("    - %s" % p for p in pip)
    return "\n".join(lines) + "\n"


def package_name(spec: str) -> str:
    for sep in ("==", ">=", "<=", "~=", "!=", "=", ">", "<", "[", " "):
        spec = spec.split(sep, 1)[0]
    return spec.strip().lower()


def split_requirements(text: str) -> Tuple[List[str], List[str]]:
    """pip requirements lines -> (packages, options such as ``--index-url``)."""
    packages, options = [], []
    for raw in text.splitlines():
        line = _strip_comment(raw).strip()
        if not line:
            continue
        (options if line.startswith("-") else packages).append(line)
    return packages, options
