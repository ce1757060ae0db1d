# llmnas: build, test, install, demo. `make help` lists the targets.
SHELL := /bin/bash
# A recipe line fails when any command of a pipeline fails, not only the last.
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := all

VERSION := $(shell sed -n 's/^\#define LLMNAS_VERSION_\(MAJOR\|MINOR\|PATCH\) //p' include/llmnas.h | paste -sd.)
SOVERSION := $(shell sed -n 's/^\#define LLMNAS_ABI_VERSION //p' include/llmnas.h)
PREFIX ?= /usr/local
BUILD := build
LIB := $(BUILD)/lib/libllmnas.so
APT_PACKAGES := libcurl4-openssl-dev libopenblas-dev pkg-config g++ valgrind cmake
PYTHON ?= python3
RUFF_VERSION := 0.17.6
VENV := .venv
# Every release build compiles with the same flags, so that building one product does not recompile the modules
# another just built (the latency-model tool beside the library: 75 s saved each time).
SWIFT_BUILD_RELEASE := swift build -c release -Xswiftc -static-stdlib
SWIFT_RELEASE := $(SWIFT_BUILD_RELEASE) --product llmnas \
	-Xlinker -soname=libllmnas.so.$(SOVERSION) -Xlinker --version-script=$(CURDIR)/tools/exports.map
CFLAGS_EX := -std=c11 -Wall -Wextra -Werror -Iinclude
CXXFLAGS_EX := -std=c++17 -Wall -Wextra -Werror -Iinclude -Ibindings/cpp
# Examples run with nothing but the built library on their path: no Swift toolchain libraries.
RUN_EX := env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH=$(CURDIR)/$(BUILD)/lib
PYTEST_ENV := LLMNAS_LIBRARY=$(CURDIR)/$(LIB)

.PHONY: check-docs check-style format wheel check-cpp-coverage fuzz test-fuzz-regressions test-asan test-tsan test-valgrind all help deps lib test test-swift check-exports examples test-examples venv test-python test-install \
	test-local-llm install demo bench latency-models check-latency-models clean soak quality

help:
	@echo "make          release build of $(LIB) (Swift runtime linked in statically)"
	@echo "make deps     install the Debian packages the build needs (as root; otherwise prints the command)"
	@echo "make test     Swift tests, export and linkage checks, C/C++/Python examples, pytest, install check"
	@echo "make demo     the main job: LLM-PP on a local model, LLM-Distill-PP, HS-NAS, the NAS-Bench-Graph comparison"
	@echo "make bench    benchmarks against the peers (openai client, scipy), as ratios"
	@echo "make soak     20,000 LLM-PP items through 10% faults: nothing lost, nothing paid twice, no leak"
	@echo "make quality  LLM-PP on the embedded model in each mode (samples, expectation, nearest demonstrations), with costs"
	@echo "make wheel    dist/llmnas-*.whl: the Python binding with the library inside"
	@echo "make install  PREFIX=$(PREFIX): header, library, C++ wrapper, llmnas.pc and the CMake package llmnas::llmnas"
	@echo "make test-asan / test-tsan / test-valgrind   the Swift tests under ASan, TSan; valgrind over the C programs"
	@echo "make fuzz     libFuzzer harnesses of every parser, FUZZ_RUNS=$(FUZZ_RUNS) inputs each"

all: lib

deps:
	@tools/deps.sh $(APT_PACKAGES)

lib: deps
	$(SWIFT_RELEASE)
	@mkdir -p $(BUILD)/lib
	cp .build/release/libllmnas.so $(BUILD)/lib/.libllmnas.so.tmp   # replaced by rename: a running host keeps its copy
	mv -f $(BUILD)/lib/.libllmnas.so.tmp $(BUILD)/lib/libllmnas.so.$(VERSION)
	ln -sf libllmnas.so.$(VERSION) $(BUILD)/lib/libllmnas.so.$(SOVERSION)
	ln -sf libllmnas.so.$(SOVERSION) $(LIB)

test: deps check-docs check-style test-swift lib check-exports check-cpp-coverage test-examples test-python test-install \
	test-local-llm check-latency-models test-fuzz-regressions
	@echo "make test: all checks passed"

test-swift: deps
	swift test

# The .so exports exactly the llmnas_* functions the header declares, and carries no libswift* dependency.
check-exports: lib
	@tools/check_exports.sh $(LIB)

# The C++ wrapper uses every function of the header (tools/check_cpp_coverage.py lists any left out on purpose).
check-cpp-coverage: venv
	$(VENV)/bin/python tools/check_cpp_coverage.py

# The README's size and commands, every relative link of the Markdown pages, the docs index and their versions.
check-docs:
	$(PYTHON) tools/check_docs.py

# Style: swift-format (.swift-format) over the Swift sources and tests, ruff (ruff.toml) over the Python.
check-style: venv
	swift format lint --strict --recursive --parallel Package.swift Sources Tests
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@echo "check-style: swift-format and ruff find nothing"

# Rewrites the Swift and Python sources in the project's style.
format: venv
	swift format --in-place --recursive --parallel Package.swift Sources Tests
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

examples: lib
	@mkdir -p $(BUILD)/examples
	cc $(CFLAGS_EX) examples/spaces.c -o $(BUILD)/examples/spaces -L$(BUILD)/lib -lllmnas
	cc $(CFLAGS_EX) examples/llmpp_eval.c -o $(BUILD)/examples/llmpp_eval -L$(BUILD)/lib -lllmnas
	cc $(CFLAGS_EX) examples/distill.c -o $(BUILD)/examples/distill -L$(BUILD)/lib -lllmnas
	cc $(CFLAGS_EX) examples/hsnas.c -o $(BUILD)/examples/hsnas -L$(BUILD)/lib -lllmnas
	c++ $(CXXFLAGS_EX) examples/spaces.cpp -o $(BUILD)/examples/spaces_cpp -L$(BUILD)/lib -lllmnas
	c++ $(CXXFLAGS_EX) bindings/cpp/test_llmnas.cpp -o $(BUILD)/examples/test_llmnas_cpp -L$(BUILD)/lib -lllmnas

# The C and C++ examples, the C++ wrapper's checks, and LLM-PP, distillation and HS-NAS against the scripted server.
test-examples: examples
	PYTHON=$(PYTHON) tools/test_examples.sh

venv: $(VENV)/.ready
# The development venv: the binding's test dependencies, ruff, and the shared support package (tools/python,
# editable, so it finds the checkout's data and scripts).
$(VENV)/.ready: bindings/python/pyproject.toml tools/python/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q numpy scipy pytest "setuptools>=77" "ruff==$(RUFF_VERSION)"
	$(VENV)/bin/pip install -q --no-build-isolation -e tools/python
	touch $@

# The Python wheel with the library inside: dist/llmnas-<version>-py3-none-manylinux_2_<glibc>_x86_64.whl.
wheel: lib venv
	tools/wheel.sh $(BUILD)/lib/libllmnas.so.$(VERSION) $(SOVERSION) $(VENV)/bin/python

# The wheel installed into a fresh venv; the pytest suite and the Python examples run against it with no
# environment variable set (env -i), so the binding finds the library inside the package.
WHEEL_VENV := $(CURDIR)/$(BUILD)/wheel-venv
WHEEL_RUN := env -i PATH=/usr/bin:/bin HOME=$(HOME) $(WHEEL_VENV)/bin/python
PYTHON_TEST_PACKAGES := numpy scipy scikit-learn pandas tqdm pytest mypy auditwheel "ray[tune]==2.60.0" "optuna==5.0.0" optunahub
test-python: wheel test-examples
	rm -rf $(WHEEL_VENV) && $(PYTHON) -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/pip install -q $(PYTHON_TEST_PACKAGES) dist/llmnas-$(VERSION)-*.whl
	$(WHEEL_VENV)/bin/pip install -q -e tools/python
	tools/check_wheel.sh $(WHEEL_VENV)/bin/auditwheel dist/llmnas-$(VERSION)-*.whl
	cd $(BUILD) && $(WHEEL_RUN) -c "import llmnas; print(llmnas.Space.builtin('hat-wmt14ende'))"
	$(WHEEL_RUN) -m mypy --disallow-untyped-defs --ignore-missing-imports --no-incremental bindings/python/llmnas
	$(WHEEL_RUN) -m pytest -q -p no:cacheprovider bindings/python/tests
	$(WHEEL_RUN) examples/python/spaces.py > $(BUILD)/examples/spaces_py.out
	cmp $(BUILD)/examples/spaces.out $(BUILD)/examples/spaces_py.out
	$(WHEEL_RUN) examples/python/hsnas.py $(BUILD)/examples/distilled.mlp $(BUILD)/examples > $(BUILD)/examples/hsnas_py.out
	cmp $(BUILD)/examples/hsnas.out $(BUILD)/examples/hsnas_py.out
	$(WHEEL_RUN) examples/python/search_verdict.py $(BUILD)/examples/distilled.mlp $(foreach ms,100 150 200,$(BUILD)/examples/hsnas-$(ms)ms.ckpt) \
		> $(BUILD)/examples/verdict.out && grep -q "MAE [0-9.]*, Kendall tau-b" $(BUILD)/examples/verdict.out && \
		test "$$(grep -c 'of the [0-9]* candidates it scored' $(BUILD)/examples/verdict.out)" = 3
	$(WHEEL_RUN) examples/python/ray_hsnas.py --seconds-per-arch 0 2>/dev/null | tee $(BUILD)/examples/ray_hsnas.out \
		| grep -q "same result: True"
	PYTHON=$(WHEEL_VENV)/bin/python tools/with_scripted_server.sh sh -c 'env -i PATH=/usr/bin:/bin HOME=$(HOME) \
		LLMNAS_MODEL=scripted OPENAI_BASE_URL=$$LLMNAS_TEST_BASE_URL $(WHEEL_VENV)/bin/python examples/python/own_space.py' \
		| tee $(BUILD)/examples/own_space.out | grep -q "same result as an uninterrupted run: True"

# Installs into a temporary prefix, moves it (the install is relocatable), builds the C example with pkg-config and
# the C++ one with CMake's find_package, and runs both.
test-install: lib test-examples
	@tools/test_install.sh

# LLM-PP end to end on a real local model (llama-server + Gemma 3 270M; built on first use, then cached).
test-local-llm: wheel
	$(VENV)/bin/pip install -q --force-reinstall --no-deps dist/llmnas-$(VERSION)-*.whl
	env -u LLMNAS_LIBRARY $(VENV)/bin/python -m pytest -q -p no:cacheprovider bindings/python/tests_local_llm

# Header, C++ wrapper, library, llmnas.pc and the CMake package (lib/cmake/llmnas), all relocatable, plus the
# licenses (share/doc/llmnas).
SUBST := sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@SOVERSION@|$(SOVERSION)|g' -e 's|@MAJOR@|$(word 1,$(subst ., ,$(VERSION)))|g' \
	-e 's|@MINOR@|$(word 2,$(subst ., ,$(VERSION)))|g'
install: lib
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/lib/cmake/llmnas \
		$(DESTDIR)$(PREFIX)/share/doc/llmnas
	install -m 644 include/llmnas.h bindings/cpp/llmnas.hpp $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(BUILD)/lib/libllmnas.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libllmnas.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libllmnas.so.$(SOVERSION)
	ln -sf libllmnas.so.$(SOVERSION) $(DESTDIR)$(PREFIX)/lib/libllmnas.so
	$(SUBST) tools/llmnas.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/llmnas.pc
	$(SUBST) tools/cmake/llmnasConfig.cmake.in > $(DESTDIR)$(PREFIX)/lib/cmake/llmnas/llmnasConfig.cmake
	$(SUBST) tools/cmake/llmnasConfigVersion.cmake.in > $(DESTDIR)$(PREFIX)/lib/cmake/llmnas/llmnasConfigVersion.cmake
	install -m 644 LICENSE THIRD-PARTY-NOTICES $(DESTDIR)$(PREFIX)/share/doc/llmnas/

# The main job (tools/demo.sh): the spaces example; the paper's protocol with LLM-PP on a real local model (Gemma 3
# 270M on llama-server) beside the baselines, and LLM-Distill-PP on 200 labels; HS-NAS under 100/150/200 ms with
# that distilled predictor and what its answers mean; LLM proposals; the NAS-Bench-Graph comparison (4 data sets x
# DEMO_GRAPH_SEEDS seeds, default 3); a summary. LLMNAS_LLM_CONFIG (or LLMNAS_MODEL with
# OPENAI_BASE_URL/OPENAI_API_KEY) selects another endpoint.
demo: deps venv
	VENV=$(VENV) MAKE="$(MAKE)" tools/demo.sh

# Regenerates the built-in latency predictors from data/hat-latency with HAT's recipe, then the library embeds them.
# Training is bit-for-bit deterministic for a given set of OpenBLAS kernels, which OpenBLAS picks by CPU: the shipped
# files were made with its Haswell (AVX2) kernels, which every x86-64 CPU with AVX2 runs, so both targets pin them.
LATENCY_MODELS := OPENBLAS_CORETYPE=Haswell .build/release/llmnas-latency-models data/hat-latency
latency-models:
	$(SWIFT_BUILD_RELEASE) --product llmnas-latency-models
	$(LATENCY_MODELS) data/latency-predictors
	touch Sources/CLatencyModels/latency_models.c

# The shipped latency predictors are exactly what `make latency-models` produces.
check-latency-models:
	$(SWIFT_BUILD_RELEASE) --product llmnas-latency-models
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(LATENCY_MODELS) $$tmp && \
	for f in data/latency-predictors/*.mlp; do cmp "$$f" "$$tmp/$$(basename $$f)" || exit 1; done && \
	echo "check-latency-models: all $$(ls data/latency-predictors/*.mlp | wc -l) predictors regenerated bit for bit"

# Speed, side by side with the peers a user would pick instead, printed as ratios.
# LLM-PP's quality on the embedded model, mode by mode (greedy, 5 samples, expectation, nearest demonstrations; raw
# and calibrated), on the paper's protocol with each mode's cost, and a validation (benchmarks/quality.py).
quality: lib venv
	$(VENV)/bin/pip install -q --no-build-isolation --force-reinstall --no-deps ./bindings/python
	url=$$(VENV=$(VENV) tools/local_llm.sh start) && trap 'tools/local_llm.sh stop' EXIT && \
		$(PYTEST_ENV) $(VENV)/bin/python benchmarks/quality.py $$url

bench: lib venv
	$(VENV)/bin/pip install -q openai scikit-learn "optuna==5.0.0" optunahub
	$(VENV)/bin/pip install -q --no-build-isolation --force-reinstall --no-deps ./bindings/python
	for b in llm mlp latency features local_llm; do $(PYTEST_ENV) $(VENV)/bin/python benchmarks/bench_$$b.py; done
	VENV=$(VENV) $(PYTEST_ENV) $(VENV)/bin/python benchmarks/bench_search.py --json $(BUILD)/bench/nasbench_graph.json
	$(PYTEST_ENV) $(VENV)/bin/python benchmarks/bench_optuna.py --json $(BUILD)/bench/optuna_samplers.json

# Soak: SOAK_REQUESTS LLM-PP items at concurrency 16 through 10% faults with the cache on, then 5,000 without it
# (tools/soak.py: every item ends, the ledger matches the server, nothing is paid twice, memory and descriptors hold),
# and a search killed with SIGKILL 20 times and resumed ends as one run once.
SOAK_REQUESTS ?= 20000
soak: lib venv
	$(VENV)/bin/pip install -q --no-build-isolation --force-reinstall --no-deps ./bindings/python
	$(PYTEST_ENV) $(VENV)/bin/python tools/soak.py $(SOAK_REQUESTS)

# Fuzzing: libFuzzer harnesses (Sources/llmnas-fuzz) for every parser of outside input, with AddressSanitizer and
# coverage; FUZZ_RUNS inputs each (CI runs a short budget). A crash leaves its input in build/fuzz/; copy it to
# Tests/fuzz-regressions/<harness>/, which `make test` replays.
FUZZ_RUNS ?= 1000000
fuzz: deps
	tools/fuzz.sh run $(FUZZ_RUNS)

# Valgrind over the C ABI stress program and every C and C++ example (tools/test_valgrind.sh).
STRESS_ROUNDS ?= 10000
test-valgrind: deps examples
	PYTHON=$(PYTHON) tools/test_valgrind.sh $(VERSION) $(SOVERSION) $(STRESS_ROUNDS)

# The Swift test suite under AddressSanitizer (with LeakSanitizer), and under ThreadSanitizer the suites that run
# threads: those that talk to the test server (which answers on threads of its own) or start threads themselves, but
# TortureTests (one fault at a time, over and over: ASan's work, and most of TSan's time). The rest is single-threaded
# Swift, whose data-race safety Swift 6's compiler checks. OpenBLAS runs one thread under TSan: its worker threads
# synchronise by spinning on memory, which TSan, not seeing inside the uninstrumented library, would report as races
# on the result buffers.
TSAN_SUITES = $(shell grep -rlE 'ScriptedServer|concurrentPerform|Thread' Tests/LLMNASCoreTests Tests/LLMNASTests \
	| xargs -n1 basename | sed 's/\.swift$$//' | grep -vx TortureTests | sort | paste -sd'|')
test-asan: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/sanitizers/lsan.supp swift test --sanitize=address --build-path .build-asan
test-tsan: deps
	OPENBLAS_NUM_THREADS=1 swift test --sanitize=thread --build-path .build-tsan --filter '$(TSAN_SUITES)'

# Replays the seed corpus and every saved fuzzing regression input through the harnesses, without libFuzzer.
test-fuzz-regressions:
	tools/fuzz.sh replay

clean:
	rm -rf $(BUILD) .build
