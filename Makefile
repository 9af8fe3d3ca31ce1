# `sam build` runs these targets (Metadata: BuildMethod: makefile in template.yaml) with ARTIFACTS_DIR set.
# They produce what `npm run build` produces: dist/handler.mjs and its chunks, bundled by esbuild.config.mjs.

.PHONY: build-McpFunction build-LocalApiFunction

build-McpFunction build-LocalApiFunction:
	test -d node_modules || npm ci --no-audit --no-fund
	node esbuild.config.mjs "$(ARTIFACTS_DIR)"
