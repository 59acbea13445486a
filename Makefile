# TribeLens. `make run` sets up and launches the app; `make test` sets up and runs every test.
SWIFT    ?= swift
CONFIG   ?= release
BUILDDIR := .build/$(CONFIG)
SWIFTPM  := $(SWIFT) build -c $(CONFIG)

.PHONY: all deps test-deps build run test test-swift test-gui bench clean

all: build

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build: deps
	$(SWIFTPM)

run: build
	$(BUILDDIR)/tribelens $(ARGS)

# One build serves unit and GUI tests (release: the numerical tests train real networks).
# -enable-testing: release builds otherwise refuse `@testable import`.
test: test-deps
	$(SWIFTPM) --build-tests -Xswiftc -enable-testing
	$(MAKE) --no-print-directory test-swift test-gui

test-swift:
	$(SWIFT) test -c $(CONFIG) --skip-build --disable-swift-testing

test-gui:
	Tests/GUI/run-gui-tests.sh $(BUILDDIR)

bench: deps
	$(SWIFTPM)
	bench/detect.sh $(BUILDDIR)
	bench/run.sh $(BUILDDIR)
	bench/vgg_transfer.sh $(BUILDDIR)

clean:
	rm -rf .build artifacts
