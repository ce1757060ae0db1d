"""The `llmnas` command line, for pipelines: architectures and scores as JSON Lines on stdin and stdout, progress on
stderr, an exit code per status. `llmnas COMMAND --help` documents each command."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import subprocess
import sys
from typing import IO, Any, Callable, ContextManager, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from ._library import Status, status_string
from .errors import Error, IncompleteError
from .llm import LLM, eval_paper_protocol
from .search import Search
from .space import Space

#: A failed library call exits with this plus the status's magnitude (LLMNAS_INVALID_ARGUMENT exits 11,
#: LLMNAS_INCOMPLETE 28); a usage error exits 2, any other error 1.
STATUS_EXIT_BASE = 10

EPILOG = (
    f"exit codes: 0 success; 2 usage; {STATUS_EXIT_BASE} + n for library status -n (e.g. "
    f"{STATUS_EXIT_BASE + 1} LLMNAS_INVALID_ARGUMENT, {STATUS_EXIT_BASE + 4} LLMNAS_INVALID_ARCH, "
    f"{STATUS_EXIT_BASE + 18} LLMNAS_INCOMPLETE); 1 anything else. The JSON documents are those of "
    "docs/formats.md."
)

COST_HELP = (
    'the space\'s host cost ("cost_model": {"kind": "host", "name": NAME}): COMMAND runs once, reads one '
    "architecture per line on stdin and writes its params and flops per line on stdout"
)

FEATURIZER_HELP = (
    'the space\'s featurizer ("featurizer": {"name": NAME, "count": n}): COMMAND runs once, reads one architecture '
    "per line on stdin and writes its n features per line on stdout"
)

CALIBRATIONS = ["none", "affine", "combined"]
CALIBRATE_HELP = (
    "the task's calibration: the LLM's answers as they are, through the least-squares line fitted on the "
    "demonstrations' leave-one-out answers (affine), or the combined predictor with the cost features (combined)"
)
CHOOSE_HELP = (
    "first choose the prompt mode and predictor of least cross-validated error on the demonstrations, sending at "
    "most this many requests (docs/formats.md \"choice\"), then predict with the choice"
)
SPACE_HELP = 'a built-in space\'s name, a space definition file (docs/formats.md "search space"), or - for stdin'


def _json_argument(text: str) -> Any:
    """A JSON value given inline or as @FILE."""
    if text.startswith("@"):
        with open(text[1:], encoding="utf-8") as f:
            return json.load(f)
    return json.loads(text)


def _lines(stream: IO[str]) -> List[Any]:
    """The JSON values of a JSON Lines stream, blank lines skipped."""
    return [json.loads(line) for line in stream if line.strip()]


def _input(path: Optional[str]) -> ContextManager[IO[str]]:
    """The file at `path`, or stdin (left open) for None or "-"."""
    if path in (None, "-"):
        return contextlib.nullcontext(sys.stdin)
    return open(path, encoding="utf-8")


class _LineCommand:
    """A host function served by a command (a shell command line) started once and kept running: each call writes
    one architecture as a JSON line to its stdin and reads one line of numbers back from its stdout (a JSON number
    or array, or numbers separated by spaces)."""

    def __init__(self, command: str, what: str) -> None:
        self._command, self._what = command, what
        self._process = subprocess.Popen(
            command, shell=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        atexit.register(self.close)

    def numbers(self, arch: Any) -> List[float]:
        """The numbers the command answers for `arch`."""
        assert self._process.stdin is not None and self._process.stdout is not None
        try:
            self._process.stdin.write(json.dumps(arch) + "\n")
            self._process.stdin.flush()
        except BrokenPipeError:
            pass  # the command has exited: the read below says how
        line = self._process.stdout.readline()
        if not line:
            code = self._process.poll()
            raise RuntimeError(f"{self._what} command {self._command!r} ended (exit {code}) without answering")
        text = line.strip()
        try:
            value = json.loads(text) if text.startswith(("[", "{")) else [float(v) for v in text.split()]
            if isinstance(value, dict):
                value = [value["params"], value["flops"]]
            return [float(v) for v in (value if isinstance(value, list) else [value])]
        except (ValueError, KeyError, TypeError) as error:
            raise RuntimeError(f"{self._what} command {self._command!r} answered {text!r}: {error}") from error

    def close(self) -> None:
        """Ends the command: its stdin closed, then a second to exit."""
        if self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            try:
                self._process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                self._process.kill()


def _named_command(given: str, option: str) -> Tuple[str, str]:
    """NAME and COMMAND of an option given as NAME=COMMAND."""
    name, _, command = given.partition("=")
    if not name or not command:
        raise argparse.ArgumentTypeError(f"{option} takes NAME=COMMAND, not {given!r}")
    return name, command


def _cost(given: str) -> Tuple[str, Callable[[Any], Tuple[float, float]]]:
    """The name and the function of a --cost NAME=COMMAND: the command answers each architecture with its
    parameters and FLOPs (`P F`, `[P, F]` or `{"params": P, "flops": F}`)."""
    name, command = _named_command(given, "--cost")
    served = _LineCommand(command, "cost")

    def count(arch: Any) -> Tuple[float, float]:
        values = served.numbers(arch)
        if len(values) != 2:
            raise RuntimeError(f"cost command {command!r} gave {len(values)} numbers, not params and flops")
        return values[0], values[1]

    return name, count


def _constraint(command: str) -> Callable[[Any], float]:
    """The function of a --constraint NAME=COMMAND: the command answers each architecture with the value."""
    served = _LineCommand(command, "constraint")
    return lambda arch: served.numbers(arch)[0]


def _featurizer(given: str) -> Tuple[str, Callable[[Any], List[float]]]:
    """The name and the function of a --featurizer NAME=COMMAND: the command answers each architecture with its
    features (numbers separated by spaces, or a JSON array)."""
    name, command = _named_command(given, "--featurizer")
    return name, _LineCommand(command, "featurizer").numbers


def _space(spec: str, cost: Optional[str] = None, featurizer: Optional[str] = None) -> Space:
    """The space a command names: a built-in name, a file holding a space definition (docs/formats.md "search
    space"), or "-" for a definition on stdin; with its host cost and featurizer bound to the commands of `cost`
    and `featurizer` (NAME=COMMAND)."""
    if spec == "-":
        space = Space.from_json(sys.stdin.read())
    elif spec not in Space.builtin_names() and (os.path.exists(spec) or spec.endswith(".json") or os.sep in spec):
        with open(spec, encoding="utf-8") as f:
            space = Space.from_json(f.read())
    else:
        space = Space.builtin(spec)
    space = space.with_cost(*_cost(cost)) if cost else space
    return space.with_featurizer(*_featurizer(featurizer)) if featurizer else space


def _architectures(args: argparse.Namespace) -> List[Any]:
    """The architectures of a command's `input` (JSON Lines; stdin when absent or "-")."""
    if args.space == "-" and args.input in (None, "-"):
        raise argparse.ArgumentTypeError("the space is read from stdin, so the architectures need a file")
    with _input(args.input) as stream:
        return _lines(stream)


def _progress(stage: str, done: int, total: int, value: float) -> bool:
    """Progress of a library call on stderr, one line per stage."""
    print(f"\r{stage}: {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)
    return False


def _write(values: Iterable[Any]) -> None:
    """Each value as one JSON line on stdout."""
    for value in values:
        sys.stdout.write(json.dumps(value) + "\n")


def _cmd_spaces(_args: argparse.Namespace) -> None:
    _write(Space.builtin_names())


def _cmd_sample(args: argparse.Namespace) -> None:
    _write(_space(args.space).sample(args.count, seed=args.seed))


def _cmd_features(args: argparse.Namespace) -> None:
    space = _space(args.space, featurizer=args.featurizer)
    _write(row.tolist() for row in space.features(_architectures(args)))


def _cmd_stats(args: argparse.Namespace) -> None:
    space = _space(args.space, args.cost)
    _write(space.stats(arch) for arch in _architectures(args))


def _task(args: argparse.Namespace) -> Optional[Dict[str, Any]]:
    """The --task of a command, with its --calibrate applied."""
    task = _json_argument(args.task) if args.task else None
    if getattr(args, "calibrate", None):
        task = dict(task or {}, calibrate={"none": False}.get(args.calibrate, args.calibrate))
    return task


def _cost_line(space: Space, demos: List[Dict[str, Any]], archs: List[Any], predictor: str) -> List[float]:
    """The least-squares line of the demonstrations' scores on their parameters or GFLOPs, at each architecture."""
    key = "params" if predictor.startswith("params") else "gflops"
    x = [float(space.stats(d["architecture"])[key]) for d in demos]
    slope, intercept = np.polyfit(x, [float(d["score"]) for d in demos], 1)
    return [float(slope * space.stats(a)[key] + intercept) for a in archs]


def _cmd_predict(args: argparse.Namespace) -> Optional[int]:
    space = _space(args.space, args.cost, args.featurizer)
    archs = _architectures(args)
    demos = _json_argument(args.demos)
    task = _task(args)
    with LLM(_json_argument(args.llm)) as llm:
        if args.choose is not None:
            choice = llm.choose(space, demos, max_requests=args.choose, task=task, progress=_progress)
            print(f"llmnas predict: chose {choice['summary']}", file=sys.stderr)
            if choice["task_options"] is None:
                by_cost = _cost_line(space, demos, archs, choice["chosen"]["predictor"])
                _write([{"architecture": a, "score": s, "status": "OK"} for a, s in zip(archs, by_cost)])
                print(json.dumps(llm.usage), file=sys.stderr)
                return None
            task = dict(task or {}, **choice["task_options"])
        scores, _, _, _, statuses, failure = llm.predict_items(
            space,
            archs,
            demos,
            task=task,
            progress=_progress,
        )
        first_reason = failure.partition("; the first: ")[2] if failure else ""
        lines = []
        for arch, score, status in zip(archs, scores, statuses):
            line = {"architecture": arch, "score": None if status else float(score), "status": Status(status).name}
            if status:
                # The library words the first failure; the others get their status's meaning.
                line["message"] = first_reason or status_string(int(status)).partition(": ")[2]
                first_reason = ""
            lines.append(line)
        _write(lines)
        if failure:
            print(f"llmnas predict: {failure}", file=sys.stderr)
        print(json.dumps(llm.usage), file=sys.stderr)
    return STATUS_EXIT_BASE - int(IncompleteError.status or 0) if any(statuses) else None


def _cmd_distill(args: argparse.Namespace) -> None:
    space = _space(args.space, args.cost, args.featurizer)
    with LLM(_json_argument(args.llm)) as llm:
        model, report = llm.distill(
            space,
            _json_argument(args.demos),
            args.pool,
            args.labels,
            seed=args.seed,
            task=_task(args),
            mlp_config=_json_argument(args.mlp) if args.mlp else None,
            progress=_progress,
        )
    model.save(args.output)
    print(json.dumps(report))


def _host_estimator(command: str) -> Callable[[List[Any]], List[float]]:
    """A host estimator that runs `command` (a shell command line) with the candidates as a JSON array on stdin and
    reads their scores from its stdout: a JSON array, or one number per line."""

    def score(candidates: List[Any]) -> List[float]:
        result = subprocess.run(
            command, shell=True, input=json.dumps(candidates), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"estimator command {command!r} exited {result.returncode}: {result.stderr.strip()}")
        text = result.stdout.strip()
        return json.loads(text) if text.startswith("[") else [float(line) for line in text.splitlines() if line.strip()]

    return score


def _cmd_search(args: argparse.Namespace) -> None:
    config = _json_argument(args.config)
    if args.resume and os.path.exists(args.resume):
        search = Search.resume(args.resume)
        if args.cost:
            search.bind_cost(*_cost(args.cost))
        if args.featurizer:
            search.bind_featurizer(*_featurizer(args.featurizer))
    else:
        if args.resume:
            config["checkpoint"] = args.resume
        search = Search(_space(args.space, args.cost, args.featurizer), config)
    for given in args.constraint:
        name, command = _named_command(given, "--constraint")
        search.bind_constraint(name, _constraint(command))
    estimators = {}
    for given in args.estimator:
        name, command = _named_command(given, "--estimator")
        estimators[name] = _host_estimator(command)

    best = search.run(estimators, progress=_progress)
    if args.report:
        search.write_report(args.report, os.path.splitext(args.report)[1].lstrip(".") or "html")
    print(json.dumps(best))


def _cmd_eval(args: argparse.Namespace) -> None:
    llm = LLM(_json_argument(args.llm)) if args.llm else None
    options = _json_argument(args.options) if args.options else None
    if args.choose is not None:
        options = dict(options or {}, choose={"max_requests": args.choose})
    result = eval_paper_protocol(args.data, llm, options, progress=_progress)
    print(json.dumps(result) if args.json else result["text"])


def _cmd_report(args: argparse.Namespace) -> None:
    Search.resume(args.checkpoint).write_report(args.output, args.format)


def parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    top = argparse.ArgumentParser(prog="llmnas", description=__doc__, epilog=EPILOG)
    commands = top.add_subparsers(dest="command", required=True)

    def command(
        name: str, function: Callable[[argparse.Namespace], Optional[int]], help_text: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, epilog=EPILOG)
        sub.set_defaults(function=function)
        return sub

    command("spaces", _cmd_spaces, "The built-in search spaces, one JSON string per line.")
    sub = command("sample", _cmd_sample, "Architectures drawn uniformly from a space, as JSON Lines.")
    sub.add_argument("space", help=SPACE_HELP)
    sub.add_argument("--count", type=int, default=1)
    sub.add_argument("--seed", type=int, default=0)
    sub = command("features", _cmd_features, "The features of JSON Lines architectures, one JSON array per line.")
    sub.add_argument("space", help=SPACE_HELP)
    sub.add_argument("input", nargs="?", help="JSON Lines of architectures (default: stdin)")
    sub.add_argument("--featurizer", metavar="NAME=COMMAND", help=FEATURIZER_HELP)
    sub = command("stats", _cmd_stats, 'Parameters and FLOPs of JSON Lines architectures (formats.md "stats").')
    sub.add_argument("space", help=SPACE_HELP)
    sub.add_argument("input", nargs="?", help="JSON Lines of architectures (default: stdin)")
    sub.add_argument("--cost", metavar="NAME=COMMAND", help=COST_HELP)
    sub = command(
        "predict",
        _cmd_predict,
        "LLM-PP: JSON Lines of architectures in, JSON Lines of "
        '{"architecture", "score", "status"} out, with "message" for a failed item; the usage ledger on stderr.',
    )
    sub.add_argument("space", help=SPACE_HELP)
    sub.add_argument("input", nargs="?", help="JSON Lines of architectures (default: stdin)")
    sub.add_argument("--llm", required=True, help="the LLM client config, JSON or @FILE")
    sub.add_argument("--demos", required=True, help="the demonstrations, JSON or @FILE")
    sub.add_argument("--task", help="the task, JSON or @FILE")
    sub.add_argument("--calibrate", choices=CALIBRATIONS, help=CALIBRATE_HELP)
    sub.add_argument("--choose", type=int, metavar="MAX_REQUESTS", help=CHOOSE_HELP)
    sub.add_argument("--cost", metavar="NAME=COMMAND", help=COST_HELP)
    sub.add_argument("--featurizer", metavar="NAME=COMMAND", help=FEATURIZER_HELP)
    sub = command(
        "distill",
        _cmd_distill,
        "LLM-Distill-PP: label a pool with LLM-PP, train an MLP, save it; the distillation report on stdout.",
    )
    sub.add_argument("space", help=SPACE_HELP)
    sub.add_argument("--llm", required=True, help="the LLM client config, JSON or @FILE")
    sub.add_argument("--demos", required=True, help="the demonstrations, JSON or @FILE")
    sub.add_argument("--pool", required=True, help="JSON Lines of architectures to label")
    sub.add_argument("--labels", type=int, required=True)
    sub.add_argument("--seed", type=int, default=0)
    sub.add_argument("--task", help="the task, JSON or @FILE")
    sub.add_argument("--calibrate", choices=CALIBRATIONS, help=CALIBRATE_HELP)
    sub.add_argument("--mlp", help="the MLP config, JSON or @FILE")
    sub.add_argument("--output", "-o", required=True, help="the model file to write")
    sub.add_argument("--cost", metavar="NAME=COMMAND", help=COST_HELP)
    sub.add_argument("--featurizer", metavar="NAME=COMMAND", help=FEATURIZER_HELP)
    sub = command(
        "search",
        _cmd_search,
        "HS-NAS: a search to its end; each host estimator is a command that reads "
        "the candidates as a JSON array on stdin and writes their scores on stdout. The best "
        "architecture's record on stdout.",
    )
    sub.add_argument("space", help=SPACE_HELP)
    sub.add_argument("--config", required=True, help="the search config, JSON or @FILE")
    sub.add_argument("--estimator", action="append", default=[], metavar="NAME=COMMAND")
    sub.add_argument("--cost", metavar="NAME=COMMAND", help=COST_HELP)
    sub.add_argument("--featurizer", metavar="NAME=COMMAND", help=FEATURIZER_HELP)
    sub.add_argument(
        "--constraint",
        action="append",
        default=[],
        metavar="NAME=COMMAND",
        help="a host constraint's command: one architecture per line in, its value per line out",
    )
    sub.add_argument("--resume", metavar="CHECKPOINT", help="checkpoint file: resumed when it exists, written always")
    sub.add_argument("--report", help="write the report here (.html, .csv or .jsonl)")
    sub = command("eval", _cmd_eval, "The paper's protocol over labelled data (baselines; LLM-PP with --llm).")
    sub.add_argument("data", help="the folder holding labeled.csv and splits.csv")
    sub.add_argument("--llm", help="the LLM client config, JSON or @FILE")
    sub.add_argument("--options", help="the protocol options, JSON or @FILE")
    sub.add_argument(
        "--choose",
        type=int,
        metavar="MAX_REQUESTS",
        help="on each split's demonstrations, choose the prompt mode and predictor within this many requests: the "
        "'chosen per split' row, and distillation from the chosen predictor's labels",
    )
    sub.add_argument("--json", action="store_true", help="the whole result as JSON instead of the table")
    sub = command("report", _cmd_report, "Writes the report of the search saved in a checkpoint.")
    sub.add_argument("checkpoint")
    sub.add_argument("--output", "-o", required=True)
    sub.add_argument("--format", choices=["html", "csv", "jsonl"], default="html")
    return top


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs one command; returns its exit code."""
    args = parser().parse_args(argv)
    try:
        return args.function(args) or 0
    except Error as error:
        hint = "; here: --cost or --featurizer NAME=COMMAND" if "which is not bound" in str(error) else ""
        print(f"llmnas {args.command}: {error}{hint}", file=sys.stderr)
        return STATUS_EXIT_BASE - error.status if error.status else 1
    except (OSError, ValueError, RuntimeError, argparse.ArgumentTypeError) as error:
        print(f"llmnas {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
