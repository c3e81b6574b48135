# Thin wrapper around CMake. `make demo` and `make test` install missing
# Debian packages first (scripts/install-deps.sh, apt-get when run as root).
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PORTABLE ?= 0
CMAKE_FLAGS ?=
ifeq ($(PORTABLE),1)
CMAKE_FLAGS += -DWEMBED_NATIVE=OFF
endif

# Sanitizer build: AddressSanitizer + UndefinedBehaviorSanitizer, portable,
# -O1 -g, every finding fatal; runs the whole suite.
ASAN_BUILD ?= build-asan
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1:check_initialization_order=1 \
          UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
          LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

# libFuzzer targets (clang): built into $(FUZZ_BUILD), each run for FUZZ_SECONDS.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=

.PHONY: all deps build build-wembed python test test-asan fuzz fuzz-build demo bench install clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# Only the binary (not the test suite): for demo and install.
build-wembed: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target wembed

# The Python module into the build tree: PYTHONPATH=$(BUILD)/python python3 -c 'import wembed'.
python: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target wembed_python

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	@test -f $(ASAN_BUILD)/CMakeCache.txt || cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug \
	    -DWEMBED_NATIVE=OFF -DWEMBED_SANITIZE=address,undefined
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && $(SAN_ENV) ctest --output-on-failure -j $(JOBS)

fuzz-build:
	@scripts/install-deps.sh fuzz
	@test -f $(FUZZ_BUILD)/CMakeCache.txt || CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) \
	    -DCMAKE_BUILD_TYPE=Debug -DWEMBED_NATIVE=OFF -DWEMBED_TESTS=OFF -DWEMBED_FUZZ=ON \
	    -DWEMBED_SANITIZE=address,undefined
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

fuzz: fuzz-build
	fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

demo: build-wembed
	@scripts/demo.sh $(BUILD)/wembed

bench: build
	bench/word2vec_bench.sh

# make install [PREFIX=/usr/local] [DESTDIR=/staging]: the binary, the static
# libraries, the headers, the CMake package and wembed.pc (cmake/install.cmake).
PREFIX ?= /usr/local
install: build-wembed
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
