# ecsforge. Quick start: `make synth` (synthesize every example stack into cdk.out) and
# `make test` (go vet and every test). Each target installs what it needs: the pinned CDK CLI
# and Node.js 24 from npm (package.json), and Go modules through the Go toolchain.

SHELL := /bin/bash
.DEFAULT_GOAL := help

NODE_BIN := $(CURDIR)/node_modules/.bin
# The pinned Node.js runs the CDK CLI and, through JSII_NODE, jsii: Node 20 is past jsii's
# end of support and synthesizes about 1.8x slower.
export PATH := $(NODE_BIN):$(PATH)
export JSII_NODE := $(NODE_BIN)/node
# Offline synth: no telemetry, no notices, no version checks.
export CDK_DISABLE_CLI_TELEMETRY := true
export CDK_DISABLE_VERSION_CHECK := true

TOOLS := node_modules/.ecsforge-installed
GO_SOURCES := $(shell find . -name '*.go' -not -path './node_modules/*') go.mod go.sum

.PHONY: help tools synth test lint rules-doc snapshots bench clean

help:
	@echo "make synth      synthesize every example stack into cdk.out"
	@echo "make test       go vet and every test (snapshots, cdk-nag, validation)"
	@echo "make lint       ecsforge lint over cdk.out (after make synth)"
	@echo "make rules-doc  regenerate docs/rules.md from the rule catalogue"
	@echo "make snapshots  rewrite tests/testdata snapshots (review the diff before committing)"
	@echo "make bench      time make synth on this machine"

tools: $(TOOLS)

$(TOOLS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@# node_modules holds Go template files of the CDK CLI: a go.mod keeps it out of ./...
	printf 'module ignored/node_modules\n' > node_modules/go.mod
	touch $@

bin/examples: $(GO_SOURCES)
	go build -o $@ ./examples

synth: $(TOOLS) bin/examples
	cdk synth --quiet --no-notices

test: $(TOOLS)
	@# go.mod and go.sum must be what go mod tidy makes them.
	go mod tidy -diff
	go vet ./...
	go test ./...

lint: synth
	go run ./cmd/ecsforge lint cdk.out

rules-doc:
	go run ./cmd/ecsforge rules > docs/rules.md

snapshots: $(TOOLS)
	UPDATE_SNAPSHOTS=1 go test ./tests/

bench: $(TOOLS) bin/examples
	@command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
	/usr/bin/time -f "cdk synth: %e s wall, %M KiB peak RSS" cdk synth --quiet --no-notices
	go test ./rules -run '^$$' -bench . -benchmem

clean:
	rm -rf bin cdk.out
