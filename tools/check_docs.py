"""The documentation check of `make test`: the README's size and its two commands, every relative link of every
Markdown page (file and heading anchor), every page of docs/ indexed by docs/README.md, and every llmnas version
named in the docs equal to the header's."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README_LIMIT = 12 * 1024
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
VERSION = re.compile(r"\bllmnas-(\d+\.\d+\.\d+)|\bllmnas (\d+\.\d+\.\d+)|find_package\(llmnas (\d+\.\d+(?:\.\d+)?)")
HISTORY_PAGES = {"CHANGELOG.md", "ABI.md"}  # they name earlier versions on purpose


def header_version() -> str:
    text = (ROOT / "include" / "llmnas.h").read_text()
    parts = [re.search(rf"#define LLMNAS_VERSION_{p} (\d+)", text).group(1) for p in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(parts)


def anchors(page: Path) -> set:
    """GitHub's heading anchors: lower case, punctuation but '-' and '_' dropped, spaces to '-'."""
    found, in_code = set(), False
    for line in page.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            found.add(re.sub(r"\s", "-", re.sub(r"[^\w\- ]", "", title)))
    return found


def markdown_pages() -> list:
    pages = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
    pages += [ROOT / "data" / "README.md", ROOT / "bindings" / "python" / "README.md"]
    return [p for p in pages if p.exists()]


def check_links(page: Path, errors: list) -> None:
    in_code = False
    for number, line in enumerate(page.read_text().splitlines(), 1):
        if line.startswith("```"):
            in_code = not in_code
        if in_code:
            continue
        for target in LINK.findall(line):
            if re.match(r"[a-z]+:", target):
                continue  # an absolute URL: not checked offline
            path, _, anchor = target.partition("#")
            resolved = (page.parent / path).resolve() if path else page
            where = f"{page.relative_to(ROOT)}:{number}"
            if not resolved.exists():
                errors.append(f"{where}: broken link {target}")
            elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
                errors.append(f"{where}: no heading #{anchor} in {resolved.relative_to(ROOT)}")


def main() -> int:
    errors: list = []
    readme = (ROOT / "README.md").read_bytes()
    if len(readme) > README_LIMIT:
        errors.append(f"README.md is {len(readme)} bytes, over the limit of {README_LIMIT}")
    for command in ("make demo", "make test"):
        if command.encode() not in readme:
            errors.append(f"README.md does not hold `{command}`")
    pages = markdown_pages()
    for page in pages:
        check_links(page, errors)
    index = (ROOT / "docs" / "README.md").read_text()
    for page in sorted((ROOT / "docs").glob("*.md")):
        if page.name != "README.md" and f"({page.name})" not in index:
            errors.append(f"docs/README.md does not index docs/{page.name}")
    version = header_version()
    for page in pages:
        if page.name in HISTORY_PAGES:
            continue
        for number, line in enumerate(page.read_text().splitlines(), 1):
            for named in (n for groups in VERSION.findall(line) for n in groups if n):
                if not version.startswith(named):
                    errors.append(f"{page.relative_to(ROOT)}:{number}: names llmnas {named}; the header says {version}")
    for error in errors:
        print(error, file=sys.stderr)
    if not errors:
        print(f"check-docs: {len(pages)} pages, README {len(readme)} bytes, every link resolves, version {version}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
