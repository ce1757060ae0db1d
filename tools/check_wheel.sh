#!/usr/bin/env bash
# auditwheel's verdict on the wheel: the glibc and libstdc++ symbols the library needs must constrain the platform tag
# to the one the wheel carries; libcurl and OpenBLAS are the system's (the README says why they are not vendored).
# Usage: tools/check_wheel.sh AUDITWHEEL WHEEL
set -euo pipefail
auditwheel=$1 wheel=$2
tag=$(basename "$wheel" .whl)
tag=${tag##*-}
report=$("$auditwheel" show "$wheel")
grep -q "constrains the platform tag to \"$tag\"" <<< "$report" || { echo "$report"; echo "check-wheel: not $tag"; exit 1; }
for library in libcurl.so.4 libopenblas.so.0; do
    grep -q "$library" <<< "$(unzip -l "$wheel")" && { echo "check-wheel: $library is vendored"; exit 1; }
done
echo "check-wheel: auditwheel: the library's glibc and libstdc++ symbols constrain the tag to $tag, the wheel's; libcurl and OpenBLAS stay the system's"
