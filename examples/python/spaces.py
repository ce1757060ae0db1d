"""spaces.py: the C example spaces.c through the Python binding; it prints the same text."""

import json

import llmnas


def report(what, error):
    name = llmnas.status_string(error.status).split(":")[0]
    print(f"error handled: {what} -> status {error.status} ({name}): {error}")
    return 1


def main():
    print(f"llmnas {llmnas.version()} (ABI {llmnas.abi_version()})")
    print("built-in spaces: " + json.dumps(llmnas.Space.builtin_names(), separators=(",", ":")))

    space = llmnas.Space.builtin("hat-wmt14ende")
    print("\n3 architectures of hat-wmt14ende (seeds 7, 8, 9):")
    for seed in (7, 8, 9):
        arch = space.sample(1, seed=seed)[0]
        print(json.dumps(arch, separators=(",", ":")))
        print("  features:" + "".join(f" {f:.4f}" for f in space.features([arch])[0]))
        stats = space.stats(arch)
        print(f"  params: {stats['params']}  GFLOPs: {stats['gflops']:.3f}")

    print()
    handled = 0
    try:
        space.validate({"encoder_embed_dim": 768, "encoder_layer_num": 6})
    except llmnas.Error as e:
        handled += report("a width outside the choices", e)
    try:
        space.validate('{"encoder_embed_dim": ')
    except llmnas.Error as e:
        handled += report("text that is not JSON", e)
    try:
        llmnas.Space.builtin("hat-wmt16")
    except llmnas.Error as e:
        handled += report("an unknown space", e)
    return 0 if handled == 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
