# The README's two commands. Both install whatever is missing first (scripts/bootstrap.sh).
.PHONY: serve test

# Build and serve the playground on http://127.0.0.1:8080, rebuilding on change.
serve:
	scripts/serve.sh

# Everything CI checks: formatting, lints, engine tests, browser tests, release build, journeys.
test:
	scripts/test.sh
