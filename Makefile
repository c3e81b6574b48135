# Thin wrapper around CMake. `make demo` and `make test` install missing
# Debian packages first (scripts/install-deps.sh, apt-get when run as root).
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PORTABLE ?= 0
CMAKE_FLAGS ?=
ifeq ($(PORTABLE),1)
CMAKE_FLAGS += -DWEMBED_NATIVE=OFF
endif

.PHONY: all deps build test demo bench clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)/wembed

bench: build
	bench/word2vec_bench.sh

clean:
	rm -rf $(BUILD)
