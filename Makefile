# Factdesk: `make run` opens the app on the sample drafts; `make test` runs
# every check CI runs. Both install what they need on a fresh Debian/Ubuntu.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(HOME)/.cargo/bin:$(PATH)

APP := target/debug/factdesk-desktop
VENV := .venv
TAURI_DRIVER := $(HOME)/.cargo/bin/tauri-driver
STAMP := target/.stamps

.PHONY: help run test package package-check bench bindings setup ui lint rust-test ui-test e2e eval-suggest soak clean fuzz

help:
	@echo "make run      open Factdesk on examples/drafts (or the last desk you opened)"
	@echo "make test     format, lint, Rust tests, UI type check and tests, end-to-end test in a real window"
	@echo "make package  build a .deb (target/release/bundle/deb/): both binaries, manual, completions"
	@echo "make package-check  build the .deb and check its files, fields and binaries"
	@echo "make bench    run the benchmarks"
	@echo "make eval-suggest  score the suggestion engine on the labelled drafts"
	@echo "make soak     the long multi-process stress, kill -9 and power-loss runs, with their figures"
	@echo "make bindings regenerate ui/src/lib/ipc/bindings.ts from the Rust commands"
	@echo "make fuzz     run each fuzz target for FUZZ_SECONDS (default 60; nightly toolchain)"

# ---- set-up -----------------------------------------------------------------

$(STAMP)/system: scripts/setup-system.sh
	@scripts/setup-system.sh
	@mkdir -p $(STAMP) && touch $@

ui/node_modules/.package-lock.json: ui/package.json ui/package-lock.json | $(STAMP)/system
	npm --prefix ui ci --no-audit --no-fund

$(TAURI_DRIVER): | $(STAMP)/system
	cargo install tauri-driver --locked --version 2.1.0

$(VENV)/.installed: tests/e2e/requirements.txt | $(STAMP)/system
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet -r tests/e2e/requirements.txt
	@touch $@

setup: $(STAMP)/system ui/node_modules/.package-lock.json

# ---- build and run ----------------------------------------------------------

# Warnings are errors here too: the Vite config fails the build on any warning it logs (CSS
# minify, Rollup, Svelte compiler), `npm run check` runs svelte-check with --fail-on-warnings, and
# Cargo.toml denies rustc warnings in the workspace's crates.
ui: setup
	npm --prefix ui run build

run: ui
	cargo build -p factdesk-desktop
	FACTDESK_DEFAULT_DESK="$(CURDIR)/examples/drafts" $(APP)

# The .deb holds both binaries, the manual page and the shell completions
# (tauri.conf.json's bundle.linux.deb.files), made from the release CLI.
package: ui
	cargo build --release -p factdesk-cli
	scripts/package-extras.sh
	ui/node_modules/.bin/tauri build --bundles deb

# Not part of `make test` (a release build takes minutes here): the package's
# files and control fields, and both binaries run from an extracted root.
package-check: package
	scripts/package-check.sh

bindings: ui
	FACTDESK_WRITE_BINDINGS=1 cargo test -p factdesk-desktop --lib typescript_bindings_are_up_to_date

bench: setup
	cargo bench -p factdesk-core

# The suggestion engine scored on every labelled set (the shared fixtures, our own drafts, the harder
# styles' tuning and held-out sets): per draft what was missed or extra, then the totals.
eval-suggest:
	cargo test -p factdesk-core --test suggest scores_on -- --nocapture --test-threads=1

# The durability tests of `make test`, longer: 8 processes x 150 mixed commands
# with the watcher and churning files, 1,000 kill -9 runs, 200 traced commands
# cut at every fsync. Each prints its figures (operations, failures, acknowledged,
# found, lost).
soak: $(STAMP)/system
	FACTDESK_STRESS_PROCESSES=8 FACTDESK_STRESS_OPS=150 FACTDESK_KILLS=1000 FACTDESK_POWER_CUTS=200 \
		cargo test -p factdesk-cli --test durability -- --nocapture --test-threads 1

# ---- fuzzing (nightly; not part of `make test`) ------------------------------
# Each target runs for FUZZ_SECONDS in one process (the machine is shared),
# from its committed seeds (fuzz/seeds/T) plus the corpus earlier runs grew
# (fuzz/corpus/T, not committed). A crash stops the run with the input in
# fuzz/artifacts/T/; its log is in target/fuzz-logs/T.log. Make it a
# regression test named after the bug, then fix the module concerned.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= ingest anchor suggest report
FUZZ_RSS_MB ?= 2048
# More libFuzzer flags, e.g. FUZZ_FLAGS="-fork=1 -ignore_crashes=1" to go on after a crash.
FUZZ_FLAGS ?=
# Per target: the longest input (drafts a few pages long; selectors and
# reports are built from fewer bytes) and a dictionary of markup tokens.
FUZZ_ARGS_ingest := -max_len=32768 -dict=dict/ingest.dict
FUZZ_ARGS_anchor := -max_len=16384
FUZZ_ARGS_suggest := -max_len=32768 -dict=dict/ingest.dict
FUZZ_ARGS_report := -max_len=8192

$(HOME)/.cargo/bin/cargo-fuzz:
	cargo install cargo-fuzz --locked

fuzz: $(HOME)/.cargo/bin/cargo-fuzz
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@mkdir -p target/fuzz-logs
	@cd fuzz && $(foreach t,$(FUZZ_TARGETS),args_$(t)='$(FUZZ_ARGS_$(t))';) for t in $(FUZZ_TARGETS); do \
		mkdir -p corpus/$$t artifacts/$$t; \
		echo "fuzz $$t for $(FUZZ_SECONDS) s (log: target/fuzz-logs/$$t.log)"; \
		cargo +nightly fuzz run $$t corpus/$$t seeds/$$t -- \
			-max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=$(FUZZ_RSS_MB) -timeout=20 \
			$$(eval echo \$$args_$$t) -print_final_stats=1 $(FUZZ_FLAGS) \
			>../target/fuzz-logs/$$t.log 2>&1; \
		status=$$?; \
		grep -E '^(Done|stat::number_of_executed_units|stat::new_units_added|SUMMARY)|^#[0-9]+: cov|artifact_prefix|Test unit written|panicked at' \
			../target/fuzz-logs/$$t.log | tail -n 8; \
		if [ $$status -ne 0 ]; then echo "fuzz $$t FAILED: see target/fuzz-logs/$$t.log" >&2; exit $$status; fi; \
	done

# ---- checks -----------------------------------------------------------------

lint: ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	@# The core's documentation builds without a broken or private link.
	RUSTDOCFLAGS="-D warnings" cargo doc -p factdesk-core --no-deps --quiet
	@# The core stays free of Tauri and of any UI toolkit.
	@set -o pipefail; tree=$$(cargo tree -p factdesk-core --features specta -e normal,build) && \
		if grep -iE 'tauri|gtk|webkit' <<<"$$tree"; then echo "factdesk-core depends on a Tauri/GTK/WebKit crate" >&2; exit 1; fi

# One throwaway PostgreSQL cluster for every test binary (the team store's
# tests), stopped and deleted at the end, also when a test fails. The core's
# and the command line's suites then run a second time with every store on
# that server (FACTDESK_TEST_ENGINE=postgres; tests about the SQLite file
# itself skip there).
PG_CORE_SUITES = --test assignments --test audit_trail --test conflicts --test publication --test dashboard --test desk \
	--test document --test history --test identity --test removal --test report --test review --test rights --test search \
	--test sourcing --test vault --test hostile_rows
PG_CLI_SUITES = --test assignments --test cli --test people --test sourcing --test removal --test vault --test team \
	--test search --test team_load
rust-test: ui
	scripts/pg-test-cluster.sh run sh -c 'cargo test --workspace && \
		FACTDESK_TEST_ENGINE=postgres cargo test -p factdesk-core $(PG_CORE_SUITES) && \
		FACTDESK_TEST_ENGINE=postgres cargo test -p factdesk-cli $(PG_CLI_SUITES)'

ui-test: setup
	npm --prefix ui run check
	npm --prefix ui test

e2e: ui $(TAURI_DRIVER) $(VENV)/.installed
	cargo build -p factdesk-desktop
	scripts/e2e.sh

test: lint rust-test ui-test e2e

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules $(VENV)
