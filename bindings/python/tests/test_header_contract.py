"""The binding against include/llmnas.h, the one statement of the interface: every function declared with the same
argument count, kinds and widths; one exception class per status with the header's name and value; no status
number written down in the binding."""

import ctypes
import glob
import os
import re

import pytest

import llmnas
from llmnas import _library, errors

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
from llmnas_support.header import Header  # noqa: E402

HEADER = Header()

# Each C scalar type as (kind, bytes); llmnas_status is an enum with negative values, so a C int.
_SCALARS = {
    "int": ("signed", 4),
    "unsigned int": ("unsigned", 4),
    "size_t": ("unsigned", ctypes.sizeof(ctypes.c_size_t)),
    "uint64_t": ("unsigned", 8),
    "int64_t": ("signed", 8),
    "uint32_t": ("unsigned", 4),
    "int32_t": ("signed", 4),
    "double": ("float", 8),
    "float": ("float", 4),
    "llmnas_status": ("signed", 4),
    "char": ("signed", 1),
}


def _scalar_kind(ctype):
    """(kind, bytes) of a ctypes scalar type, or None for anything else."""
    if ctype in (ctypes.c_float, ctypes.c_double):
        return ("float", ctypes.sizeof(ctype))
    if ctype is ctypes.c_char:
        return ("signed", 1)
    if isinstance(ctype, type) and issubclass(ctype, ctypes._SimpleCData) and ctype._type_ in "bBhHiIlLqQ":
        return ("unsigned" if ctype._type_.isupper() else "signed", ctypes.sizeof(ctype))
    return None


def _is_function_type(ctype):
    return isinstance(ctype, type) and issubclass(ctype, ctypes._CFuncPtr)


def _mismatch(c_type, ctype, where):
    """Why the ctypes type `ctype` does not declare the C type `c_type` (a header Param), or None when it does."""
    depth, base = c_type.pointer_depth, c_type.base
    if depth == 0 and base in HEADER.callbacks:
        if not _is_function_type(ctype):
            return f"{where}: {c_type.type} is a callback, the binding has {ctype}"
        return _callback_mismatch(HEADER.callbacks[base], ctype, where)
    if depth == 0:
        expected = _SCALARS.get(base)
        if expected is None:
            return f"{where}: the test knows no C type {c_type.type}"
        got = _scalar_kind(ctype)
        return None if got == expected else f"{where}: {c_type.type} is {expected}, the binding has {ctype} {got}"
    if ctype is ctypes.c_void_p:
        return None
    if ctype is ctypes.c_char_p:
        return None if (depth, base) == (1, "char") else f"{where}: {c_type.type} declared as c_char_p"
    if not (isinstance(ctype, type) and issubclass(ctype, ctypes._Pointer)):
        return f"{where}: {c_type.type} is a pointer, the binding has {ctype}"
    target = ctype._type_
    if depth > 1:
        return _mismatch(c_type.dereferenced(), target, where)
    if base in HEADER.handles:
        return (
            None
            if issubclass(target, ctypes.Structure) and not getattr(target, "_fields_", None)
            else f"{where}: {c_type.type} is an opaque handle, the binding points to {target}"
        )
    if base in HEADER.structs:
        return _struct_mismatch(base, target, where)
    expected = _SCALARS.get(base)
    got = _scalar_kind(target)
    return (
        None
        if expected is not None and got == expected
        else f"{where}: {c_type.type} points to {expected}, the binding to {target} {got}"
    )


def _callback_mismatch(callback, functype, where):
    if len(functype._argtypes_) != len(callback.params):
        count = len(functype._argtypes_)
        return f"{where}: {callback.name} takes {len(callback.params)} arguments, the binding's type {count}"
    for i, (param, ctype) in enumerate(zip(callback.params, functype._argtypes_)):
        why = _mismatch(param, ctype, f"{where} ({callback.name} argument {i} '{param.name}')")
        if why:
            return why
    return _mismatch(callback.result, functype._restype_, f"{where} ({callback.name} result)")


def _struct_mismatch(name, structure, where):
    fields = HEADER.structs[name]
    declared = getattr(structure, "_fields_", [])
    if [f.name for f in fields] != [f[0] for f in declared]:
        return f"{where}: {name} has fields {[f.name for f in fields]}, the binding {[f[0] for f in declared]}"
    for field, (_, ctype) in zip(fields, declared):
        why = _mismatch(field, ctype, f"{where} ({name}.{field.name})")
        if why:
            return why
    return None


def _result_mismatch(function, restype):
    if function.result.type == "void":
        return None if restype is None else f"{function.name}: returns void, the binding {restype}"
    return _mismatch(function.result, restype, f"{function.name} result")


def test_the_header_parses():
    assert len(HEADER.functions) >= 40 and len(HEADER.statuses) >= 19 and "llmnas_progress_fn" in HEADER.callbacks


@pytest.mark.parametrize("name", sorted(HEADER.functions))
def test_every_prototype_matches_the_binding(name):
    function = HEADER.functions[name]
    assert name in _library._SIGNATURES, f"{name} is declared in the header but not in the binding"
    argtypes, restype = _library._SIGNATURES[name]
    assert len(argtypes) == len(function.params), (
        f"{name}: the header has {len(function.params)} parameters, the binding {len(argtypes)}"
    )
    for i, (param, ctype) in enumerate(zip(function.params, argtypes)):
        why = _mismatch(param, ctype, f"{name} argument {i} '{param.name}'")
        assert why is None, why
    why = _result_mismatch(function, restype)
    assert why is None, why


def test_the_binding_declares_nothing_the_header_does_not():
    assert sorted(set(_library._SIGNATURES) - set(HEADER.functions)) == []


def test_the_progress_record_matches_the_header():
    assert _struct_mismatch("llmnas_progress", _library.Progress, "Progress") is None


def test_the_estimator_record_and_its_version_match_the_header():
    assert _struct_mismatch("llmnas_estimator", _library.Estimator, "Estimator") is None
    with open(os.path.join(ROOT, "include", "llmnas.h"), encoding="utf-8") as f:
        version = re.search(r"#define LLMNAS_ESTIMATOR_VERSION (\d+)", f.read()).group(1)
    assert _library.ESTIMATOR_VERSION == int(version)


def test_one_exception_class_per_status_with_the_headers_name_and_value():
    classes = {cls.status_name: cls for cls in errors.Error.__subclasses__()}
    codes = [(name, value) for name, value, _ in HEADER.statuses if name != "LLMNAS_OK"]
    assert sorted(classes) == sorted(name for name, _ in codes)
    for name, value in codes:
        assert classes[name].status == value, name
        assert getattr(llmnas, classes[name].__name__) is classes[name], f"{classes[name].__name__} is not exported"
        assert errors.error_for(value, "m").__class__ is classes[name]


def test_the_library_names_each_status_as_the_header_does():
    for name, value, meaning in HEADER.statuses:
        assert llmnas.status_string(value) == f"{name}: {meaning}"


def test_the_abi_and_version_are_the_headers():
    assert llmnas.ABI_VERSION == int(HEADER.macros["LLMNAS_ABI_VERSION"]) == llmnas.abi_version()
    version = ".".join(HEADER.macros[f"LLMNAS_VERSION_{part}"] for part in ("MAJOR", "MINOR", "PATCH"))
    assert llmnas.version() == version
    assert llmnas.__version__ == version


def test_no_status_number_is_written_in_the_bindings():
    sources = glob.glob(os.path.join(ROOT, "bindings", "python", "llmnas", "*.py")) + glob.glob(
        os.path.join(ROOT, "bindings", "cpp", "*.hpp")
    )
    pattern = re.compile(r"(status\w*|error_for\(|check\()[^\n]*?(?<![\w.])-\d+|(==|!=|=)\s*-\d+\b")
    offenders = []
    for path in sources:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if pattern.search(line):
                    offenders.append(f"{os.path.relpath(path, ROOT)}:{number}: {line.strip()}")
    assert offenders == []
