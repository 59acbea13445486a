# TribeLens. `make run` sets up and launches the app; `make test` sets up and runs every test.
SWIFT    ?= swift
CONFIG   ?= release
BUILDDIR := .build/$(CONFIG)
SWIFTPM  := $(SWIFT) build -c $(CONFIG)
# make install PREFIX=/usr DESTDIR=/tmp/stage (docs/gnome.md)
PREFIX   ?= /usr/local
DESTDIR  ?=
APP_ID   := io.github.tribelens.TribeLens
# Plugins that ship (Tests/Plugins/Test* exist for the host's tests only): read from
# PluginSearchPath.shippingPlugins, the list the app's own search of its build folder uses.
PLUGINS  := $(shell grep -rh 'static let shippingPlugins = \[' Sources/FaceKit | sed 's/.*\[\(.*\)\].*/\1/; s/[",]//g')
ifeq ($(strip $(PLUGINS)),)
  $(error no PluginSearchPath.shippingPlugins line found under Sources/FaceKit)
endif

.PHONY: all deps test-deps build locale run test test-swift test-fuzz test-gnome test-gui fuzz bench clean install uninstall pot

all: build

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build: deps
	$(SWIFTPM)
	@$(MAKE) --no-print-directory locale

# Compiled translations next to the binaries, where the uninstalled app looks (L10n.swift).
locale:
	scripts/translations.sh build $(BUILDDIR)/locale

# Re-extracts po/tribelens.pot from the sources and merges it into po/*.po.
pot:
	scripts/translations.sh pot

run: build
	$(BUILDDIR)/tribelens $(ARGS)

# One build serves unit and GUI tests (release: the numerical tests train real networks).
# -enable-testing: release builds otherwise refuse `@testable import`.
test: test-deps
	$(SWIFTPM) --build-tests -Xswiftc -enable-testing
	$(MAKE) --no-print-directory locale test-swift test-fuzz test-gnome test-gui

test-swift:
	$(SWIFT) test -c $(CONFIG) --skip-build --disable-swift-testing

# Hostile files (docs/reliability.md, "Fuzz suite"): saved crashers replayed, then a bounded
# fuzz run over every family: inputs 0-199 of each (seed 16), unless 120 s run out first.
FUZZ_FAMILIES ?= rosters,images,models,safetensors,keras,plugins
FUZZ_SECONDS  ?= 120
FUZZ_INPUTS   ?= 200
FUZZ_ALL      := rosters,images,models,safetensors,keras,plugins
# make fuzz FUZZ_DURATION=14400: hours on request, every family, crashers saved as regressions.
FUZZ_DURATION ?= 3600
FUZZ_ARGS     ?=

test-fuzz:
	python3 Tests/Fuzz/fuzz.py --cli-dir $(BUILDDIR) --families $(FUZZ_FAMILIES) --seconds $(FUZZ_SECONDS) \
	  --max-inputs $(FUZZ_INPUTS) --report $(BUILDDIR)/../fuzz-report.md $(FUZZ_ARGS)

fuzz: deps
	$(SWIFTPM)
	python3 Tests/Fuzz/fuzz.py --cli-dir $(BUILDDIR) --families $(FUZZ_ALL) --seconds $(FUZZ_DURATION) \
	  --minimize-runs 200 --report $(BUILDDIR)/../fuzz-report.md $(FUZZ_ARGS)

# Desktop integration: translations complete, metadata valid, `make install` into a temporary
# DESTDIR gives an app that finds its plugins, rosters and translations.
test-gnome:
	Tests/Install/run-install-test.sh $(BUILDDIR)

test-gui:
	Tests/GUI/run-gui-tests.sh $(BUILDDIR)

bench: deps
	$(SWIFTPM)
	bench/detect.sh $(BUILDDIR)
	bench/run.sh $(BUILDDIR)
	bench/vgg_transfer.sh $(BUILDDIR)
	bench/sface.sh $(BUILDDIR)
	bench/photo.sh $(BUILDDIR)

clean:
	rm -rf .build artifacts

# Installs what `make` built (it does not build: run `make` first, as yourself).
install:
	@test -x $(BUILDDIR)/tribelens -a -x $(BUILDDIR)/tribelens-cli -a -x $(BUILDDIR)/tribelens-probe -a -x $(BUILDDIR)/tribelens-convert || \
	  { echo "make install: nothing built in $(BUILDDIR); run make first" >&2; exit 1; }
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/tribelens/plugins \
	  $(DESTDIR)$(PREFIX)/share/tribelens/rosters $(DESTDIR)$(PREFIX)/share/applications \
	  $(DESTDIR)$(PREFIX)/share/metainfo $(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps \
	  $(DESTDIR)$(PREFIX)/share/icons/hicolor/symbolic/apps $(DESTDIR)$(PREFIX)/share/licenses/tribelens
	install -m 755 $(BUILDDIR)/tribelens $(BUILDDIR)/tribelens-cli $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(PLUGINS:%=$(BUILDDIR)/lib%.so) $(DESTDIR)$(PREFIX)/lib/tribelens/plugins/
	@# The helpers that open plugins and Keras files in a child process (docs/reliability.md).
	install -m 755 $(BUILDDIR)/tribelens-probe $(BUILDDIR)/tribelens-convert $(DESTDIR)$(PREFIX)/lib/tribelens/
	install -m 644 Resources/rosters/*.json $(DESTDIR)$(PREFIX)/share/tribelens/rosters/
	install -m 644 Resources/$(APP_ID).desktop $(DESTDIR)$(PREFIX)/share/applications/
	install -m 644 Resources/$(APP_ID).metainfo.xml $(DESTDIR)$(PREFIX)/share/metainfo/
	install -m 644 Resources/icons/hicolor/scalable/apps/$(APP_ID).svg $(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps/
	install -m 644 Resources/icons/hicolor/symbolic/apps/$(APP_ID)-symbolic.svg $(DESTDIR)$(PREFIX)/share/icons/hicolor/symbolic/apps/
	@# The face models' licences (SFace Apache-2.0, YuNet MIT): the app downloads and runs them.
	install -m 644 Resources/licenses/LICENSE-sface.txt Resources/licenses/LICENSE-yunet.txt $(DESTDIR)$(PREFIX)/share/licenses/tribelens/
	scripts/translations.sh build $(DESTDIR)$(PREFIX)/share/locale
	@# Caches only for a live install (a DESTDIR is a staging folder for a package).
	@if [ -z "$(DESTDIR)" ]; then \
	  gtk4-update-icon-cache -qtf $(PREFIX)/share/icons/hicolor 2>/dev/null || true; \
	  update-desktop-database -q $(PREFIX)/share/applications 2>/dev/null || true; \
	fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tribelens $(DESTDIR)$(PREFIX)/bin/tribelens-cli
	rm -rf $(DESTDIR)$(PREFIX)/lib/tribelens $(DESTDIR)$(PREFIX)/share/tribelens $(DESTDIR)$(PREFIX)/share/licenses/tribelens
	rm -f $(DESTDIR)$(PREFIX)/share/applications/$(APP_ID).desktop $(DESTDIR)$(PREFIX)/share/metainfo/$(APP_ID).metainfo.xml
	rm -f $(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps/$(APP_ID).svg \
	  $(DESTDIR)$(PREFIX)/share/icons/hicolor/symbolic/apps/$(APP_ID)-symbolic.svg
	rm -f $(DESTDIR)$(PREFIX)/share/locale/*/LC_MESSAGES/tribelens.mo
