"""Find what to scan: Terraform module directories, CloudFormation templates, plan JSON files.

Paths may be files or directories. Directories are walked (``.terraform``, ``.git`` and
``node_modules`` skipped, ``--exclude`` globs honoured, symlinks followed only while they stay
inside the scanned tree, loops detected). YAML and JSON files are sniffed: CloudFormation
templates and ``terraform show -json`` plans are kept, anything else (Kubernetes manifests, CI
workflows, package.json) is skipped quietly.

When files are named explicitly (the pre-commit hook), each Terraform file brings in its whole
module directory, so references across files resolve, and ``report_only`` lists the named
files: findings elsewhere are not reported.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field

from iamready.model.notes import LIMIT, SKIPPED, Notification
from iamready.model.span import Span

SKIP_DIRS = {".terraform", ".git", "node_modules", ".terragrunt-cache", "__pycache__", ".venv", ".tox"}
TF_SUFFIXES = (".tf", ".tf.json")
TFVARS_SUFFIXES = (".tfvars", ".tfvars.json")
DATA_SUFFIXES = (".json", ".yaml", ".yml", ".template")
ALL_SUFFIXES = TF_SUFFIXES + TFVARS_SUFFIXES + DATA_SUFFIXES
NOT_REGULAR = "not a regular file (a FIFO, socket or device); not scanned"
OUTSIDE = "symbolic link points outside the scanned directory; not followed"
MAX_FILES = 200_000
MAX_CALLER_BYTES = 1024 * 1024  # module calls are looked for in the first MiB of a file
SNIFF_BYTES = 64 * 1024

_CFN_YAML = re.compile(r"^(?:AWSTemplateFormatVersion\s*:|Transform\s*:\s*['\"]?AWS::Serverless)", re.M)
_CFN_YAML_RESOURCES = re.compile(r"^Resources\s*:", re.M)
_CFN_TYPE = re.compile(r"""Type["']?\s*:\s*["']?(?:AWS|Alexa)::""")
# the same markers anywhere in a line (a template whose whole body is indented is valid YAML): such a
# file is parsed and recognised by its content (:func:`iamready.parsers.cloudformation.not_a_template`)
_CFN_YAML_LOOSE = re.compile(
    r"^[ \t]*(?:AWSTemplateFormatVersion\s*:|Transform\s*:\s*['\"]?AWS::Serverless)"
    r"|^[ \t]*-?[ \t]*AWS::Serverless",  # Transform given as a list
    re.M,
)
_CFN_YAML_RESOURCES_LOOSE = re.compile(r"^[ \t]*Resources\s*:", re.M)
_CFN_MENTION = re.compile(r"AWSTemplateFormatVersion|(?:AWS|Alexa)::\w+::|^[ \t]*Resources\s*:", re.M)
_CFN_JSON = re.compile(r'"AWSTemplateFormatVersion"\s*:')
_CFN_JSON_RESOURCES = re.compile(r'"Resources"\s*:\s*\{')
_PLAN_JSON = re.compile(r'"(?:planned_values|resource_changes)"\s*:')
_PLAN_FORMAT = re.compile(r'"format_version"\s*:')


@dataclass
class Discovered:
    terraform_dirs: dict[str, list[str]] = field(default_factory=dict)
    cloudformation: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    var_files: list[str] = field(default_factory=list)
    # templates found by markers that are not at the start of a line: kept only if their content is a template
    maybe_cloudformation: set[str] = field(default_factory=set)
    explicit: set[str] = field(default_factory=set)  # YAML/JSON files named on the command line
    report_only: set[str] | None = None  # real paths; None means report everything
    scan_roots: list[str] = field(default_factory=list)
    boundaries: list[str] = field(default_factory=list)  # what module sources and file() may read
    excludes: list[str] = field(default_factory=list)
    files_named: bool = False  # only files were named (the pre-commit hook)
    notifications: list[Notification] = field(default_factory=list)
    files_seen: int = 0
    skipped: dict[str, int] = field(
        default_factory=dict
    )  # files not scanned, by kind (".md", "YAML, not CloudFormation")

    @property
    def empty(self) -> bool:
        return not (self.terraform_dirs or self.cloudformation or self.plans)

    @property
    def files_scanned(self) -> int:
        """Terraform files (variables files included), templates and plans: what the scan reads."""
        names = {n for files in self.terraform_dirs.values() for n in files}
        return len(names | set(self.cloudformation) | set(self.plans) | set(self.var_files))

    def skip(self, kind: str) -> None:
        self.skipped[kind] = self.skipped.get(kind, 0) + 1


def sniff(path: str) -> str | None:
    """ "cloudformation", "cloudformation?" (markers found indented: recognised after parsing), "plan",
    "binary" or None, from the start of a YAML/JSON file."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: the loader reports the encoding
        text = head.decode("utf-16", errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    kind = _sniff_text(path, text)
    if kind is None and b"\x00" in head[:8192] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return kind


def _sniff_text(path: str, text: str) -> str | None:
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{") or path.endswith(".json"):
        if _PLAN_JSON.search(text) and _PLAN_FORMAT.search(text):
            return "plan"
        if _CFN_JSON.search(text) or (_CFN_JSON_RESOURCES.search(text) and _CFN_TYPE.search(text)):
            return "cloudformation"
        return None
    if _CFN_YAML.search(text) or (_CFN_YAML_RESOURCES.search(text) and _CFN_TYPE.search(text)):
        return "cloudformation"
    if _CFN_YAML_LOOSE.search(text) or (_CFN_YAML_RESOURCES_LOOSE.search(text) and _CFN_TYPE.search(text)):
        return "cloudformation?"  # parsed, then recognised by content
    return None


def mentions_cloudformation(path: str) -> bool:
    """Whether a YAML/JSON file mentions CloudFormation at all (markers, ``AWS::`` types)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    return bool(_CFN_MENTION.search(head.decode("utf-8", errors="replace")))


class _Walker:
    def __init__(self, excludes: list[str], result: Discovered) -> None:
        self.excludes = excludes
        self.result = result
        self.visited: set[str] = set()
        self.limited = False

    def excluded(self, path: str, base: str) -> bool:
        rel = os.path.relpath(path, base).replace(os.sep, "/")
        name = os.path.basename(path)
        for pattern in self.excludes:
            pat = pattern.rstrip("/")
            if (
                fnmatch.fnmatch(rel, pat)
                or fnmatch.fnmatch(name, pat)
                or fnmatch.fnmatch(rel, pat + "/*")
                or rel.startswith(pat + "/")
            ):
                return True
        return False

    def walk(self, root: str, base: str) -> None:
        real_root = os.path.realpath(root)
        # real paths are built as the walk descends: realpath() of every directory costs O(depth) lstat calls
        stack = [(root, real_root)]
        while stack:
            directory, real = stack.pop()
            if real in self.visited:
                if os.path.islink(directory):
                    self.result.notifications.append(
                        Notification(
                            SKIPPED,
                            "symbolic link loop (or a directory reached twice); not scanned again",
                            Span(directory, 1),
                            "note",
                        )
                    )
                continue
            self.visited.add(real)
            try:
                entries = sorted(os.scandir(directory), key=lambda e: e.name)
            except OSError as exc:
                self.result.notifications.append(
                    Notification(
                        SKIPPED,
                        f"cannot read directory: {exc.strerror or exc}",
                        Span(directory, 1),
                        "warning",
                    )
                )
                continue
            subdirs = []
            for entry in entries:
                path = entry.path
                if self.excluded(path, base):
                    continue
                try:
                    is_link = entry.is_symlink()
                    if is_link:
                        target = os.path.realpath(path)
                        if not (target == real_root or target.startswith(real_root + os.sep)):
                            self.result.notifications.append(
                                Notification(
                                    SKIPPED,
                                    "symbolic link points outside the scanned directory; not followed",
                                    Span(path, 1),
                                    "note",
                                )
                            )
                            continue
                    is_dir = entry.is_dir()
                    is_file = entry.is_file()
                except OSError as exc:
                    self.result.notifications.append(
                        Notification(SKIPPED, f"cannot read: {exc.strerror or exc}", Span(path, 1), "warning")
                    )
                    continue
                if is_dir:
                    if entry.name in SKIP_DIRS:
                        continue
                    subdirs.append((path, target if is_link else os.path.join(real, entry.name)))
                elif is_file:
                    self.file(path)
                elif is_link:
                    self.result.notifications.append(
                        Notification(SKIPPED, "broken symbolic link; not scanned", Span(path, 1), "note")
                    )
                elif entry.name.endswith(ALL_SUFFIXES):
                    self.result.notifications.append(Notification(SKIPPED, NOT_REGULAR, Span(path, 1), "note"))
                if self.limited:
                    return
            stack.extend(reversed(subdirs))

    def file(self, path: str, explicit: bool = False) -> None:
        result = self.result
        result.files_seen += 1
        if result.files_seen > MAX_FILES:
            if not self.limited:
                self.limited = True
                result.notifications.append(
                    Notification(
                        LIMIT,
                        f"more than {MAX_FILES} files under the scanned paths; the rest were not scanned "
                        "(narrow the paths or add --exclude)",
                        Span(path, 1),
                        "warning",
                    )
                )
            return
        name = os.path.basename(path)
        if name.endswith(TF_SUFFIXES):
            result.terraform_dirs.setdefault(os.path.dirname(path) or ".", []).append(path)
        elif name.endswith(TFVARS_SUFFIXES):
            if explicit:
                result.terraform_dirs.setdefault(os.path.dirname(path) or ".", [])
        elif name.endswith(DATA_SUFFIXES):
            kind = sniff(path)
            if explicit:
                result.explicit.add(path)
            if kind == "cloudformation?":
                result.cloudformation.append(path)
                result.maybe_cloudformation.add(path)
            elif kind == "cloudformation":
                result.cloudformation.append(path)
            elif kind == "plan":
                result.plans.append(path)
            elif kind == "binary":
                result.skip("binary")
                result.notifications.append(
                    Notification(SKIPPED, "binary file (contains NUL bytes); not scanned", Span(path, 1), "note")
                )
            elif explicit and mentions_cloudformation(path):
                # named on the command line (the pre-commit hook): say why it is not scanned; YAML that
                # does not mention CloudFormation at all (workflows, manifests) is skipped quietly
                result.skip("YAML/JSON, not CloudFormation or a plan")
                result.notifications.append(
                    Notification(
                        SKIPPED,
                        "not scanned: not recognised as a CloudFormation template (no AWSTemplateFormatVersion, "
                        "no Transform: AWS::Serverless, no Resources section with AWS:: types)",
                        Span(path, 1),
                        "note",
                    )
                )
            else:
                result.skip("YAML/JSON, not CloudFormation or a plan")
        else:
            extension = os.path.splitext(name)[1].lower()
            result.skip(extension if 1 < len(extension) <= 12 else "without extension" if not extension else "other")


def discover(
    paths: list[str], excludes: list[str] | None = None, cwd: str | None = None, config_file: str | None = None
) -> Discovered:
    cwd = os.path.abspath(cwd or os.getcwd())
    result = Discovered()
    walker = _Walker(list(excludes or ()), result)
    explicit_files: list[str] = []
    directories_given = False
    for raw in paths or ["."]:
        path = os.path.abspath(os.path.join(cwd, raw))
        if not os.path.exists(path):
            if os.path.islink(path):
                result.notifications.append(
                    Notification(SKIPPED, "broken symbolic link; not scanned", Span(path, 1), "warning")
                )
            else:
                result.notifications.append(Notification(SKIPPED, "path does not exist", Span(path, 1), "error"))
            continue
        if os.path.isdir(path):
            directories_given = True
            result.scan_roots.append(path)
            walker.walk(path, path)
        else:
            explicit_files.append(path)
    if explicit_files:
        report = set()
        for path in explicit_files:
            base = cwd if os.path.realpath(path).startswith(os.path.realpath(cwd) + os.sep) else os.path.dirname(path)
            if base not in result.scan_roots:
                result.scan_roots.append(base)
            report.add(os.path.realpath(path))
            if not _regular(path):  # named on the command line: an error, like a path that does not exist
                result.notifications.append(Notification(SKIPPED, NOT_REGULAR, Span(path, 1), "error"))
                continue
            if not within_roots([path], [base], result.notifications):
                continue
            result.files_seen += 1
            name = os.path.basename(path)
            if name.endswith(TF_SUFFIXES) or name.endswith(TFVARS_SUFFIXES):
                directory = os.path.dirname(path)
                if directory not in result.terraform_dirs:
                    from iamready.parsers.terraform.files import module_files

                    files = within_roots(module_files(directory), [base], result.notifications)
                    result.terraform_dirs[directory] = files
                if name.endswith(TFVARS_SUFFIXES) and not _auto_loaded(name):
                    result.var_files.append(path)
            else:
                result.files_seen -= 1  # counted again by the walker
                walker.file(path, explicit=True)
        # files named explicitly restrict reporting, unless directories were given as well
        if not directories_given:
            result.report_only = report
            result.files_named = True
            result.boundaries = boundaries(result.scan_roots, config_file)
            result.excludes = list(excludes or ())
    for directory in list(result.terraform_dirs):
        result.terraform_dirs[directory] = sorted(set(result.terraform_dirs[directory]))
    result.cloudformation = sorted(set(result.cloudformation))
    result.plans = sorted(set(result.plans))
    return result


_LOCAL_SOURCE = re.compile(rb'\bsource\s*=\s*"(\.\.?(?:/[^"]*)?)"')


def callers_of(modules: list[str], result: Discovered, notes: list[Notification]) -> dict[str, list[str]]:
    """The module directories in the repository that call ``modules`` (directly or through other modules)
    and are not scanned yet, with their files. Files named on the command line (pre-commit) whose module
    needs a caller are then instantiated the way their callers instantiate them, so a finding a changed
    module takes part in is reported. Only files that mention a local module source are read here."""
    walker = _Walker(list(result.excludes), Discovered())
    wanted = {os.path.realpath(d) for d in modules}
    wanted.update(os.path.realpath(d) for d in result.terraform_dirs)
    found: dict[str, list[str]] = {}
    callers: dict[str, set[str]] = {}  # module directory -> directories whose module calls source it
    for boundary in result.boundaries:
        for directory, names in _tf_files(boundary, walker):
            for name in names:
                path = os.path.join(directory, name)
                try:
                    with open(path, "rb") as handle:
                        data = handle.read(MAX_CALLER_BYTES)
                except OSError:
                    continue
                if b"module" not in data or b"source" not in data:
                    continue
                for match in _LOCAL_SOURCE.finditer(data):
                    try:
                        source = match.group(1).decode("utf-8")
                    except UnicodeDecodeError:
                        continue
                    target = os.path.realpath(os.path.join(directory, source))
                    callers.setdefault(target, set()).add(directory)
    from iamready.parsers.terraform.files import module_files

    queue = [os.path.realpath(d) for d in modules]
    while queue:
        for caller in sorted(callers.get(queue.pop(), ())):
            real = os.path.realpath(caller)
            if real in wanted:
                continue
            wanted.add(real)
            queue.append(real)
            found[caller] = within_roots(module_files(caller), result.boundaries, notes)
    return found


def _tf_files(root: str, walker: _Walker) -> Iterator[tuple[str, list[str]]]:
    """(directory, .tf file names) under ``root``, as the walker would see them (excludes, skipped directories,
    no symbolic links followed)."""
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        names = []
        for entry in entries:
            try:
                if entry.is_symlink():
                    continue
                if entry.is_dir():
                    if entry.name not in SKIP_DIRS and not walker.excluded(entry.path, root):
                        stack.append(entry.path)
                elif entry.name.endswith(".tf") and entry.is_file() and not walker.excluded(entry.path, root):
                    names.append(entry.name)  # regular files only: a FIFO would block the read
            except OSError:
                continue
        if names:
            yield directory, names


def repository_root(path: str, config_file: str | None = None) -> str:
    """The scan boundary of a scanned path: the top level of the git repository that holds it (the
    nearest directory with a ``.git`` entry, found without running git); else the directory of the
    configuration file, when the path lies below it; else the scanned directory (a file's directory).

    Local module sources and ``file()`` are read anywhere inside it, so ``cd envs/prod && iamready
    scan .`` reads ``../../modules/role``; nothing outside it is read, symbolic links included.
    """
    real = os.path.realpath(path)
    start = real if os.path.isdir(real) else os.path.dirname(real)
    directory = start
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    if config_file:
        config_dir = os.path.dirname(os.path.realpath(config_file))
        if start == config_dir or start.startswith(config_dir.rstrip(os.sep) + os.sep):
            return config_dir
    return start


def boundaries(scan_roots: list[str], config_file: str | None = None) -> list[str]:
    """The distinct scan boundaries of the scanned paths (see :func:`repository_root`)."""
    out: list[str] = []
    for root in scan_roots:
        boundary = repository_root(root, config_file)
        if boundary not in out:
            out.append(boundary)
    return out


def within_roots(files: list[str], roots: list[str], notes: list[Notification]) -> list[str]:
    """``files`` without those whose real path leaves every root: symbolic links out of the scanned tree
    are not read (a note says so). Without roots, every file stays."""
    if not roots:
        return list(files)
    real_roots = [os.path.realpath(r).rstrip(os.sep) for r in roots]
    out = []
    for path in files:
        real = os.path.realpath(path)
        if any(real == root or real.startswith(root + os.sep) for root in real_roots):
            out.append(path)
        else:
            notes.append(Notification(SKIPPED, OUTSIDE, Span(path, 1), "note"))
    return out


def _regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # let the reader report why it cannot be read


def _auto_loaded(name: str) -> bool:
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith((".auto.tfvars", ".auto.tfvars.json"))
