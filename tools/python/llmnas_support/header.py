"""Reads include/llmnas.h: its status list, its function prototypes, its callback typedefs and its structs.

The header is the one statement of the interface; the checks of the bindings (bindings/python/tests/
test_header_contract.py, tools/check_cpp_coverage.py) read it through this module instead of keeping copies.
"""

import os
import re

from . import ROOT

HEADER = os.path.join(ROOT, "include", "llmnas.h")


def _code(text):
    """The header without comments, preprocessor lines folded away."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    lines = []
    continued = False
    for line in text.splitlines():
        if line.lstrip().startswith("#") or continued:
            continued = line.rstrip().endswith("\\")
            continue
        lines.append(line)
    return "\n".join(lines)


class Param:
    """One parameter or return type: its C type text and its name ("" for a return type)."""

    def __init__(self, text):
        text = " ".join(text.split())
        match = re.match(r"^(.*?)([A-Za-z_]\w*)$", text)
        if match and match.group(1).strip() and match.group(2) not in ("void", "int", "char", "double", "float"):
            self.type, self.name = match.group(1).strip(), match.group(2)
        else:
            self.type, self.name = text, ""
        self.type = self.type.replace(" *", "*").replace("* ", "*")

    def dereferenced(self):
        """The type one pointer level down: "char*" for "char**"."""
        inner = Param("int")
        inner.type, inner.name = self.type[:-1], self.name
        return inner

    @property
    def pointer_depth(self):
        return self.type.count("*")

    @property
    def base(self):
        """The type without const and pointers: "char" for "const char**"."""
        return self.type.replace("const ", "").replace("*", "").strip()

    def __repr__(self):
        return f"{self.type} {self.name}".strip()


class Function:
    """A prototype: name, return type and parameters."""

    def __init__(self, name, result, params):
        self.name, self.result, self.params = name, result, params

    def __repr__(self):
        return f"{self.result!r} {self.name}({', '.join(map(repr, self.params))})"


class Header:
    """The parsed header."""

    def __init__(self, path=HEADER):
        with open(path, encoding="utf-8") as f:
            self.text = f.read()
        code = _code(self.text)
        self.statuses = [
            (name, int(value), meaning)
            for name, value, meaning in re.findall(
                r'^\s*X\((LLMNAS_\w+),\s*(-?\d+),\s*"((?:[^"\\]|\\.)*)"\)', self.text, flags=re.M
            )
        ]
        self.functions = {}
        for result, name, params in re.findall(r"LLMNAS_API\s+([^;(]*?)\b(llmnas_\w+)\s*\(([^)]*)\)\s*;", code):
            plist = [] if params.strip() in ("", "void") else [Param(p) for p in params.split(",")]
            self.functions[name] = Function(name, Param(result), plist)
        self.callbacks = {}
        for result, name, params in re.findall(
            r"typedef\s+([^;(]*?)\(\s*\*\s*(llmnas_\w+)\s*\)\s*\(([^)]*)\)\s*;", code
        ):
            self.callbacks[name] = Function(name, Param(result), [Param(p) for p in params.split(",")])
        self.structs = {}
        for name, body in re.findall(r"typedef\s+struct\s+(llmnas_\w+)\s*\{(.*?)\}\s*\1\s*;", code, flags=re.S):
            self.structs[name] = [Param(field) for field in body.split(";") if field.strip()]
        self.handles = set(re.findall(r"typedef\s+struct\s+(llmnas_\w+)\s+\1\s*;", code))
        self.macros = dict(re.findall(r"^#define\s+(LLMNAS_\w+)\s+(-?\d+)\s*$", self.text, flags=re.M))
