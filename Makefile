# OpenSSPI - the two commands: `make demo` and `make check`.
# Both install missing Debian packages (scripts/install-deps), configure with CMake and build.
BUILD       ?= build
CHECK_BUILD ?= build-check
GCC_BUILD   ?= build-gcc
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 10

.PHONY: all deps build demo check check-gcc bench install clean

all: build

deps:
	./scripts/install-deps

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPENSSPI_TESTS=OFF >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	./scripts/demo ./$(BUILD)

# check: a gcc -Werror build (both compilers stay clean) with the install test,
# then clang with ASan+UBSan and libFuzzer running every test: unit, contract,
# fuzz, interop. CTest's summary of that run is the last thing printed.
check: deps
	CC=gcc cmake -S . -B $(GCC_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPENSSPI_TESTS=ON >/dev/null
	cmake --build $(GCC_BUILD) -j $(JOBS)
	cd $(GCC_BUILD) && ctest --output-on-failure -R '^install$$'
	CC=clang cmake -S . -B $(CHECK_BUILD) -DCMAKE_BUILD_TYPE=Debug -DOPENSSPI_SANITIZE=ON \
	    -DOPENSSPI_FUZZ=ON -DOPENSSPI_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	cmake --build $(CHECK_BUILD) -j $(JOBS)
	cd $(CHECK_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    ctest --output-on-failure -j $(JOBS)

bench: build
	./bench/run

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(CHECK_BUILD) $(GCC_BUILD) build-bench
