from pathlib import Path

# Hostile inputs and files for bad-input tests (copied from the project's shared test data,
# so the suite runs from any checkout).
TESTDATA = Path(__file__).resolve().parent / "testdata"
