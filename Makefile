# awskit: the course in two commands.
#   make lab     set up .venv (the first time takes a few minutes) and open the course
#   make test    set up .venv and run the whole test suite
# Also: make bench, make clean-notebooks, make constraints, make clean, make distclean.
# Variables: PYTHON (to create .venv), PORT (for lab), LAB_ARGS, PYTEST_ARGS, BENCH_STUDENTS.

PYTHON ?= python3
PORT ?= 8888
LAB_ARGS ?=
# Serial by default: measured on 2 shared cores, 531 tests took 47-49 s serially and 58-71 s
# with `-n 2` (each worker pays the imports, and the browser test's ~17 s dominates). When
# the suite grows, try: make test PYTEST_ARGS="-n 2 --dist loadgroup" (browser tests stay
# together on one worker through their xdist_group).
PYTEST_ARGS ?=

VENV = .venv
BIN = $(VENV)/bin
# Re-install only when the dependency declarations change; the stamp lives inside .venv,
# so deleting .venv starts over cleanly.
STAMP = $(VENV)/.installed
OVERRIDES = $(VENV)/share/jupyter/lab/settings/overrides.json

.PHONY: setup lab test lint bench clean-notebooks constraints clean distclean

setup: $(STAMP) $(OVERRIDES)

$(STAMP): pyproject.toml requirements/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -c requirements/constraints.txt -e ".[course,dev]"
	touch $(STAMP)

# JupyterLab settings for this venv: no "receive official Jupyter news?" popup, no update
# checks (the course runs offline).
$(OVERRIDES): $(STAMP)
	mkdir -p $(VENV)/share/jupyter/lab/settings
	echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' > $(OVERRIDES)

lab: setup
	@token=$$($(BIN)/python -c 'import secrets; print(secrets.token_hex(16))'); \
	page=lab; if [ -f notebooks/00-tour.ipynb ]; then page=lab/tree/notebooks/00-tour.ipynb; fi; \
	root=; if [ "$$(id -u)" = 0 ]; then root=--allow-root; fi; \
	echo; \
	echo "  The awskit course: http://127.0.0.1:$(PORT)/$$page?token=$$token"; \
	echo "  (stop with Ctrl-C; port busy? make lab PORT=8890)"; \
	echo; \
	exec $(BIN)/jupyter lab --notebook-dir=. \
		--ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) --ServerApp.port_retries=0 \
		--IdentityProvider.token=$$token --LabApp.default_url=/$$page $$root $(LAB_ARGS)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check awskit grader tests bench

# Every benchmark, a few minutes on 2 cores. The grading comparison runs a class of
# BENCH_STUDENTS (30 by default; the figure in the README is from `make bench BENCH_STUDENTS=100`,
# which adds about 2 minutes, most of them plain nbgrader's).
BENCH_STUDENTS ?= 30

bench: setup
	@for script in bench/*.py; do \
		args=; case "$$script" in */grading.py) args="--students $(BENCH_STUDENTS)";; esac; \
		if [ -f "$$script" ]; then echo "== $$script"; $(BIN)/python "$$script" $$args || exit 1; fi; \
	done

# Strip outputs, execution counts and widget state from notebooks/ and exercises/.
clean-notebooks: setup
	$(BIN)/python scripts/clear_outputs.py

# Re-pin: install or upgrade in .venv with pip first, then run this and `make test`.
constraints:
	sed '/^[^#]/,$$d' requirements/constraints.txt > requirements/constraints.txt.new
	$(BIN)/python -m pip freeze --exclude-editable >> requirements/constraints.txt.new
	mv requirements/constraints.txt.new requirements/constraints.txt

clean:
	rm -rf build dist .pytest_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
