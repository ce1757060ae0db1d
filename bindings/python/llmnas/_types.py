"""The types of the binding's public signatures."""

import os
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple, Union

#: An architecture: one key per hyperparameter of its space (docs/formats.md, "architecture").
Arch = Dict[str, Any]
#: An architecture as a dict or as JSON text (str or UTF-8 bytes).
ArchLike = Union[Arch, str, bytes]
#: A parsed JSON object the library wrote.
JSONObject = Dict[str, Any]
#: A JSON document given as a dict (or list) or as its text; None for "not set".
JSONInput = Optional[Union[Mapping[str, Any], Sequence[Any], str]]
#: Demonstrations: (architecture, score) pairs, {"architecture", "score"} dicts, or their JSON text.
Demos = Union[str, bytes, Sequence[Union[Tuple[ArchLike, float], Mapping[str, Any]]]]
#: Progress: None, True for a tqdm bar, or a callable `(stage, done, total, value)` whose truthy return cancels.
Progress = Union[None, bool, Callable[[str, int, int, float], Any]]
#: A path to a file.
PathLike = Union[str, "os.PathLike[str]"]
