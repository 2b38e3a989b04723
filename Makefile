# Makefile — the front door. `make` builds the optimised binary at
# build/culvert; `make demo` and `make test` also install what is missing.
BUILD     ?= build
SAN_BUILD ?= build-san
FUZZ_BUILD ?= build-fuzz
TSAN_BUILD ?= build-tsan
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_GEN := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: all build demo test unit e2e fuzz tsan tsan-build bench clean bootstrap

all: build

build:
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

bootstrap:
	@scripts/bootstrap.sh build

demo:
	@scripts/bootstrap.sh build
	@$(MAKE) --no-print-directory build
	@scripts/demo.sh $(BUILD)/culvert

test:
	@scripts/bootstrap.sh build test services
	@test -f $(SAN_BUILD)/CMakeCache.txt || cmake -S . -B $(SAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DCV_SANITIZE=ON >/dev/null
	@cmake --build $(SAN_BUILD) -j $(JOBS)
	@$(MAKE) --no-print-directory build   # the optimised build must stay warning-free too
	@$(MAKE) --no-print-directory tsan-build
	@TSAN_BUILD=$(TSAN_BUILD) scripts/test.sh $(SAN_BUILD)

# ThreadSanitizer: the engine tests, the generic plugin check and the e2e
# jobs (scripts/tsan.sh); make test runs the same step with the databases up.
tsan-build:
	@test -f $(TSAN_BUILD)/CMakeCache.txt || cmake -S . -B $(TSAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DCV_TSAN=ON >/dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS) --target culvert_bin unit_engine plugin_generic

tsan:
	@scripts/bootstrap.sh build test
	@$(MAKE) --no-print-directory tsan-build
	@scripts/tsan.sh $(TSAN_BUILD)

fuzz:
	@scripts/bootstrap.sh build fuzz
	@test -f $(FUZZ_BUILD)/CMakeCache.txt || CC=clang cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DCV_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@scripts/fuzz.sh $(FUZZ_BUILD) $${FUZZ_SECONDS:-30}

bench:
	@scripts/bootstrap.sh build bench
	@$(MAKE) --no-print-directory build
	@bench/run.sh $(BUILD)/culvert

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(FUZZ_BUILD) $(TSAN_BUILD)
